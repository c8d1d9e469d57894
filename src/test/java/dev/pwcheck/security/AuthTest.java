package dev.pwcheck.security;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.CapturedLogs;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.quarkus.test.common.http.TestHTTPResource;
import dev.pwcheck.support.RawHttp;
import java.net.URL;

import java.util.Map;

import static dev.pwcheck.support.Management.management;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.pwcheck.support.Hashes.line;
import static dev.pwcheck.support.Hashes.sha1;
import static dev.pwcheck.support.Hashes.suffix;
import static dev.pwcheck.support.Metrics.assertCounted;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With caller keys configured, /v1/* needs Authorization: Bearer with one of them; /range and /q/* do not. */
@QuarkusTest
@TestProfile(AuthTest.KeysConfigured.class)
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class AuthTest {

    static final String LOGIN_KEY = "pwk_login_7c1f0a9e5d2b4c83";
    static final String RESET_KEY = "pwk_reset_e4b9d21a06f3c577";
    static final String PASSWORD = "P@ssw0rd";

    public static class KeysConfigured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pwcheck.auth.api-key-hashes", "login:" + ApiKeysTest.hashOf(LOGIN_KEY) + ",reset:" + ApiKeysTest.hashOf(RESET_KEY));
        }
    }

    @InjectFakeUpstream
    WireMockServer upstream;

    @TestHTTPResource("/")
    URL url;

    @BeforeEach
    void serve() {
        upstream.resetAll();
        upstream.stubFor(get(urlPathMatching("/range/.*")).willReturn(aResponse().withStatus(200).withBody(line(suffix(sha1(PASSWORD)), 52_256))));
    }

    private static RequestSpecification check() {
        return given().contentType(ContentType.JSON).body(Map.of("password", PASSWORD));
    }

    @Test
    void aCallWithoutAKeyIsUnauthorized() {
        check().when().post("/v1/passwords/check").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"pwcheck\"")
                .body(not(containsString(PASSWORD)));
        upstream.verify(0, getRequestedFor(anyUrl()));
    }

    @Test
    void aCallWithAnotherSchemeIsUnauthorized() {
        check().header("Authorization", "Basic " + LOGIN_KEY).when().post("/v1/passwords/check").then().statusCode(401);
    }

    @Test
    void aWrongKeyIsForbidden() {
        check().header("Authorization", "Bearer " + LOGIN_KEY + "x").when().post("/v1/passwords/check").then().statusCode(403)
                .contentType("application/problem+json")
                .body("detail", equalTo("the API key is not valid"));
        upstream.verify(0, getRequestedFor(anyUrl()));
    }

    @Test
    void theRightKeyIsServed() {
        check().header("Authorization", "Bearer " + LOGIN_KEY).when().post("/v1/passwords/check").then().statusCode(200)
                .body("verdict", equalTo("breached"));
        check().header("Authorization", "bearer " + RESET_KEY).when().post("/v1/passwords/check").then().statusCode(200);
    }

    /** Each a spelling of /v1/passwords/check that the router resolves to the check endpoint. */
    @ParameterizedTest
    @ValueSource(strings = { "//v1/passwords/check", "/./v1/passwords/check", "/x/../v1/passwords/check", "/%761/passwords/check" })
    void noSpellingOfThePathGetsRoundTheKey(String path) throws Exception {
        assertEquals(401, RawHttp.postStatus(url, path, "{\"password\":\"" + PASSWORD + "\"}"), path);
        upstream.verify(0, getRequestedFor(anyUrl()));
    }

    @Test
    void theRangeEndpointAndOperationsNeedNoKey() {
        given().when().get("/range/5BAA6").then().statusCode(200);
        management().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void callsAreCountedByCallerName() {
        check().header("Authorization", "Bearer " + LOGIN_KEY).when().post("/v1/passwords/check").then().statusCode(200);
        check().header("Authorization", "Bearer nope").when().post("/v1/passwords/check").then().statusCode(403);

        assertCounted("pwcheck_auth_requests_total{caller=\"login\",outcome=\"accepted\"}");
        assertCounted("pwcheck_auth_requests_total{caller=\"none\",outcome=\"refused\"}");
    }

    @Test
    void keysNeverReachTheLogs() throws Exception {
        try (CapturedLogs logs = CapturedLogs.start()) {
            check().header("Authorization", "Bearer " + LOGIN_KEY).when().post("/v1/passwords/check").then().statusCode(200);
            check().header("Authorization", "Bearer " + RESET_KEY + "-wrong").when().post("/v1/passwords/check").then().statusCode(403);
            assertTrue(logs.lines().stream().noneMatch(l -> l.contains(LOGIN_KEY) || l.contains(RESET_KEY) || l.contains(PASSWORD)
                    || l.contains(ApiKeysTest.hashOf(LOGIN_KEY))), () -> String.join("\n", logs.lines()));
        }
    }
}
