package dev.pwcheck.check;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.Hashes;
import dev.pwcheck.support.PackagedService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The whole password rule against the packaged jar (the configuration mapping as production reads it) and a fake
 * upstream: lengths, a context word in disguise, a long passphrase, MFA at login, an earlier request answered exactly
 * as before, and no context value anywhere in what the service printed.
 */
class PasswordRuleIT {

    static final String BREACHED = "P@ssw0rd";
    static final String USERNAME = "quokka-maintainer";
    static final String EMAIL = "wombat.keeper@example.org";
    static final String NAME = "Tabitha Quillfeather";

    private final HttpClient http = HttpClient.newHttpClient();
    private WireMockServer upstream;
    private PackagedService service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        if (upstream != null) {
            upstream.stop();
        }
    }

    private String check(String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(service.base() + "/v1/passwords/check")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void thePackagedServiceAppliesTheWholeRule() throws Exception {
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        upstream.stubFor(get(urlMatching("/range/.*")).atPriority(10).willReturn(aResponse().withStatus(200).withBody("F".repeat(35) + ":3")));
        upstream.stubFor(get(urlEqualTo("/range/" + Hashes.prefix(Hashes.sha1(BREACHED))))
                .willReturn(aResponse().withStatus(200).withBody(Hashes.line(Hashes.suffix(Hashes.sha1(BREACHED)), 52_256))));
        service = PackagedService.start(Map.of("QUARKUS_REST_CLIENT_HIBP_URL", upstream.baseUrl(), "PWCHECK_CONTEXT_WORDS", "rubygems,gem",
                "PWCHECK_FLOWS_RESET_MAX_BYTES", "72", "QUARKUS_LOG_LEVEL", "DEBUG"));
        String context = "\"context\":{\"username\":\"" + USERNAME + "\",\"email\":\"" + EMAIL + "\",\"name\":\"" + NAME + "\"}";

        assertEquals("{\"verdict\":\"clean\",\"count\":0,\"action\":\"reject\",\"reasons\":[{\"code\":\"too-short\",\"min\":8}]}",
                check("{\"password\":\"🔑🔑🔑🔑🔑🔑🔑\",\"flow\":\"registration\"}"));
        assertEquals("{\"verdict\":\"clean\",\"count\":0,\"action\":\"reject\",\"reasons\":[{\"code\":\"too-short\",\"min\":15}]}",
                check("{\"password\":\"e\\u0301e\\u0301e\\u0301e\\u0301e\\u0301e\\u0301e\\u0301e\\u0301\",\"flow\":\"registration\",\"mfa\":false}"));
        assertEquals("{\"verdict\":\"clean\",\"count\":0,\"action\":\"reject\",\"reasons\":[{\"code\":\"too-long\",\"max\":72}]}",
                check("{\"password\":\"" + "x".repeat(73) + "\",\"flow\":\"reset\"}"));
        assertEquals("{\"verdict\":\"clean\",\"count\":0,\"action\":\"reject\",\"reasons\":[{\"code\":\"context-word\",\"field\":\"service\"}]}",
                check("{\"password\":\"Rubygem5!\",\"flow\":\"registration\"}"));
        assertEquals("{\"verdict\":\"clean\",\"count\":0,\"action\":\"reject\",\"reasons\":[{\"code\":\"context-word\",\"field\":\"username\"}]}",
                check("{\"password\":\"2024Qu0kka-Maintainer!\",\"flow\":\"registration\"," + context + "}"));
        assertEquals("{\"verdict\":\"clean\",\"count\":0,\"action\":\"reject\",\"reasons\":[{\"code\":\"context-word\",\"field\":\"email\"}]}",
                check("{\"password\":\"W0mbat.Keeper99\",\"flow\":\"reset\"," + context + "}"));
        assertEquals("{\"verdict\":\"clean\",\"count\":0,\"action\":\"reject\",\"reasons\":[{\"code\":\"context-word\",\"field\":\"name\"}]}",
                check("{\"password\":\"Quillfeathe\",\"flow\":\"reset\"," + context + "}"));
        assertEquals("{\"verdict\":\"clean\",\"count\":0,\"action\":\"accept\",\"reasons\":[]}",
                check("{\"password\":\"the quokka-maintainer rides a long purple bicycle\",\"flow\":\"registration\",\"mfa\":false," + context + "}"));
        assertEquals("{\"verdict\":\"breached\",\"count\":52256,\"action\":\"reset-after-mfa\",\"reasons\":[{\"code\":\"breached\",\"count\":52256}]}",
                check("{\"password\":\"" + BREACHED + "\",\"flow\":\"login\",\"mfa\":true}"));
        assertEquals("{\"verdict\":\"breached\",\"count\":52256,\"action\":\"require-reset\",\"reasons\":[{\"code\":\"breached\",\"count\":52256}]}",
                check("{\"password\":\"" + BREACHED + "\",\"flow\":\"login\",\"mfa\":false}"));
        // Earlier requests that meet the length rules: exactly as before.
        assertEquals("{\"verdict\":\"breached\",\"count\":52256,\"action\":\"require-reset\"}", check("{\"password\":\"" + BREACHED + "\",\"flow\":\"login\"}"));
        assertEquals("{\"verdict\":\"breached\",\"count\":52256,\"action\":\"reject\"}", check("{\"password\":\"" + BREACHED + "\",\"flow\":\"registration\"}"));
        assertEquals("{\"verdict\":\"breached\",\"count\":52256}", check("{\"password\":\"" + BREACHED + "\"}"));

        String metrics = service.metrics();
        String log = service.log();
        for (String personal : new String[] {USERNAME, EMAIL, NAME, "quokka", "wombat", "Quillfeather"}) {
            assertFalse(log.toLowerCase().contains(personal.toLowerCase()), "the log holds a context value");
            assertFalse(metrics.toLowerCase().contains(personal.toLowerCase()), "a metric holds a context value");
        }
        assertFalse(log.contains(BREACHED), "the log holds a password");
    }
}
