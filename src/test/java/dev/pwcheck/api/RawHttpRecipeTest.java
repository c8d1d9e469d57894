package dev.pwcheck.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pwcheck.support.Ports;
import dev.pwcheck.support.PythonFakeUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The raw-HTTP Java recipe of docs/recipes.md (the class below; RecipesTest holds the document to these lines), run
 * against the service with the bundled fake upstream and against a port where nothing listens.
 */
@QuarkusTest
@QuarkusTestResource(value = PythonFakeUpstream.class, restrictToAnnotatedClass = true)
class RawHttpRecipeTest {

    // recipe: java-raw-http
    /** The check endpoint over the JDK's HttpClient, for a Java application without Spring Security. */
    public static final class Pwcheck {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        private final URI endpoint;
        private final String apiKey;

        /** {@code apiKey}: this caller's key, or null when the service has none configured. */
        public Pwcheck(String baseUrl, String apiKey) {
            this.endpoint = URI.create(baseUrl + "/v1/passwords/check");
            this.apiKey = apiKey;
        }

        /** The flow's action ("allow", "require-reset", "reset-after-mfa", "accept", "reject"); null when the service cannot answer. */
        public String action(String password, String flow) {
            try {
                String body = JSON.writeValueAsString(java.util.Map.of("password", password, "flow", flow));
                HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                        .timeout(Duration.ofSeconds(2))                  // the service answers within its 2 s deadline
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
                if (apiKey != null) {
                    request.header("Authorization", "Bearer " + apiKey);
                }
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 401 || response.statusCode() == 403) {
                    // A wrong or missing key is a deployment error, not an outage: make it loud.
                    System.getLogger("pwcheck").log(System.Logger.Level.ERROR, "pwcheck refused our API key (HTTP " + response.statusCode() + ")");
                }
                if (response.statusCode() != 200) {
                    return null;
                }
                JsonNode answer = JSON.readTree(response.body());
                return answer.path("action").asText(null);
            } catch (java.io.IOException e) {
                return null;                                         // unreachable or timed out: treat as unknown
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    // login:        if ("require-reset".equals(pwcheck.action(password, "login"))) { signOut(); mailResetLink(user); }
    // registration: if ("reject".equals(pwcheck.action(password, "registration"))) { form.reject("password", "breached"); }
    // api key:      String a = pwcheck.action(password, "api-key");   // null (unreachable) goes on, as unknown does
    //               if ("reject".equals(a) || "reset-after-mfa".equals(a)) { refuseKey("reset your password on the web"); }
    // end recipe

    @TestHTTPResource("/")
    URL service;

    @Test
    void eachFlowGetsItsAction() {
        Pwcheck pwcheck = new Pwcheck("http://127.0.0.1:" + service.getPort(), null);

        assertEquals("require-reset", pwcheck.action("password", "login"));
        assertEquals("reject", pwcheck.action("qwerty", "registration"));
        assertEquals("accept", pwcheck.action("a long and unusual passphrase of my own", "reset"));
        assertEquals("reject", pwcheck.action("password", "api-key"));
        assertEquals("accept", pwcheck.action("a long and unusual passphrase of my own", "api-key"));
    }

    @Test
    void anUnreachableServiceIsNull() {
        assertNull(new Pwcheck("http://127.0.0.1:" + Ports.free(), null).action("password", "login"));
    }
}
