package dev.pwcheck.check;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.CapturedLogs;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.pwcheck.support.Hashes.line;
import static dev.pwcheck.support.Hashes.prefix;
import static dev.pwcheck.support.Hashes.rangeBody;
import static dev.pwcheck.support.Hashes.sha1;
import static dev.pwcheck.support.Hashes.suffix;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs checks of every outcome (breached, clean, sha1, upstream failure, malformed upstream answer, bad input)
 * with every logger at DEBUG, and asserts that no log line holds a password, its full hash or the hash suffix, nor a context value (username,
 * e-mail, name).
 */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
@TestProfile(NoSecretsInLogsTest.EverythingLogged.class)
class NoSecretsInLogsTest {

    public static class EverythingLogged implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.level", "DEBUG", "quarkus.log.min-level", "DEBUG");
        }
    }

    static final String BREACHED = "breached-secret-Ω-1";
    static final String CLEAN = "clean-secret-Ω-2";
    static final String VIA_SHA1 = "sha1-secret-3";
    static final String FAILING = "failing-secret-4";
    static final String MALFORMED = "malformed-secret-5";
    static final String BAD_INPUT = "bad-input-secret-6";

    @InjectFakeUpstream
    WireMockServer upstream;

    private static void check(Object body) {
        given().contentType(ContentType.JSON).body(body).when().post("/v1/passwords/check").then().statusCode(200);
    }

    static final String USERNAME = "zorblax-the-user";
    static final String EMAIL = "ada.lovelace@example.org";
    static final String NAME = "Augusta Quixotic";

    @Test
    void noPasswordOrHashReachesALogLine() {
        upstream.stubFor(get(urlEqualTo("/range/" + prefix(sha1(BREACHED))))
                .willReturn(aResponse().withStatus(200).withBody(rangeBody(line(suffix(sha1(BREACHED)), 4)))));
        upstream.stubFor(get(urlEqualTo("/range/" + prefix(sha1(CLEAN)))).willReturn(aResponse().withStatus(200).withBody("")));
        upstream.stubFor(get(urlEqualTo("/range/" + prefix(sha1(VIA_SHA1))))
                .willReturn(aResponse().withStatus(200).withBody(rangeBody(line(suffix(sha1(VIA_SHA1)), 2)))));
        upstream.stubFor(get(urlEqualTo("/range/" + prefix(sha1(FAILING)))).willReturn(aResponse().withStatus(503)));
        upstream.stubFor(get(urlEqualTo("/range/" + prefix(sha1(MALFORMED))))
                .willReturn(aResponse().withStatus(200).withBody(rangeBody(line(suffix(sha1(MALFORMED)), 2), "<html>"))));

        List<String> lines;
        try (CapturedLogs logs = CapturedLogs.start()) {
            check(Map.of("password", BREACHED));
            check(Map.of("password", CLEAN));
            check(Map.of("sha1", sha1(VIA_SHA1).toLowerCase(Locale.ROOT)));
            check(Map.of("password", FAILING));
            check(Map.of("password", MALFORMED));
            given().contentType(ContentType.JSON).body("{\"password\":\"" + BAD_INPUT).when().post("/v1/passwords/check").then().statusCode(400);
            given().contentType(ContentType.JSON).body("{\"password\":[\"" + BAD_INPUT + "\"]}").when().post("/v1/passwords/check").then().statusCode(400);
            given().contentType("text/plain").body(BAD_INPUT).when().post("/v1/passwords/check").then().statusCode(415);
            Map<String, Object> context = Map.of("username", USERNAME, "email", EMAIL, "name", NAME);
            check(Map.of("password", BREACHED, "flow", "registration", "context", context, "mfa", false));
            check(Map.of("password", USERNAME + "1", "flow", "reset", "context", context));
            given().contentType(ContentType.JSON).body(Map.of("password", CLEAN, "context", Map.of("username", USERNAME, "phone", EMAIL)))
                    .when().post("/v1/passwords/check").then().statusCode(400);
            lines = logs.lines();
        }
        for (String personal : List.of(USERNAME, EMAIL, NAME, "ada.lovelace")) {
            for (String line : lines) {
                assertFalse(line.toLowerCase(Locale.ROOT).contains(personal.toLowerCase(Locale.ROOT)),
                        () -> "a log line holds a context value: " + line.substring(0, Math.min(80, line.length())));
            }
        }

        assertTrue(lines.stream().anyMatch(l -> l.contains("Upstream range request failed")), "the capture saw the service's own lines");
        for (String secret : List.of(BREACHED, CLEAN, VIA_SHA1, FAILING, MALFORMED, BAD_INPUT)) {
            String hash = sha1(secret);
            for (String line : lines) {
                String upper = line.toUpperCase(Locale.ROOT);
                assertFalse(line.contains(secret), () -> "a log line holds a password: " + line.substring(0, Math.min(80, line.length())));
                assertFalse(upper.contains(hash), () -> "a log line holds a full hash: " + line.substring(0, Math.min(80, line.length())));
                assertFalse(upper.contains(suffix(hash)), () -> "a log line holds a hash suffix: " + line.substring(0, Math.min(80, line.length())));
            }
        }
    }
}
