package dev.pwcheck.check;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import dev.pwcheck.support.Metrics;
import dev.pwcheck.support.ServiceState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static dev.pwcheck.support.Hashes.line;
import static dev.pwcheck.support.Hashes.prefix;
import static dev.pwcheck.support.Hashes.sha1;
import static dev.pwcheck.support.Hashes.suffix;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole password rule (NIST SP 800-63B-4) with the defaults, the service words {@code rubygems,gem} and a bcrypt
 * limit of 72 bytes on the reset flow: lengths in code points of the NFC form, context words in disguise refused as
 * whole passwords only, the reasons named, and MFA at login.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
@TestProfile(PasswordRuleTest.ServiceWords.class)
class PasswordRuleTest {

    public static class ServiceWords implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pwcheck.context-words", "rubygems,gem", "pwcheck.flows.reset.max-bytes", "72");
        }
    }

    static final String BREACHED = "P@ssw0rd";

    @InjectFakeUpstream
    WireMockServer upstream;

    @Inject
    ServiceState service;

    @BeforeEach
    void serve() {
        service.reset();
        upstream.resetAll();
        // Every range is clean but for BREACHED's: what is refused below is refused by the rule, not the corpus.
        upstream.stubFor(get(urlMatching("/range/.*")).atPriority(10).willReturn(aResponse().withStatus(200).withBody("F".repeat(35) + ":3")));
        upstream.stubFor(get(urlEqualTo("/range/" + prefix(sha1(BREACHED))))
                .willReturn(aResponse().withStatus(200).withBody(line(suffix(sha1(BREACHED)), 52_256))));
    }

    private static ValidatableResponse check(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/passwords/check").then();
    }

    private static Map<String, Object> request(String password, String flow, Object... more) {
        Map<String, Object> body = new HashMap<>(Map.of("password", password, "flow", flow));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    @Test
    void registrationRefusesAPasswordUnderEightCharacters() {
        check(request("abc1234", "registration")).statusCode(200).body("verdict", equalTo("clean")).body("count", equalTo(0))
                .body("action", equalTo("reject")).body("reasons", hasSize(1))
                .body("reasons[0].code", equalTo("too-short")).body("reasons[0].min", equalTo(8));
        check(request("abc12345", "registration")).body("action", equalTo("accept"));
    }

    @Test
    void aSingleFactorPasswordNeedsFifteenCharacters() {
        check(request("fourteen chars", "registration", "mfa", false)).body("action", equalTo("reject"))
                .body("reasons[0].code", equalTo("too-short")).body("reasons[0].min", equalTo(15));
        check(request("fifteen chars!!", "registration", "mfa", false)).body("action", equalTo("accept")).body("reasons", hasSize(0));
        check(request("fourteen chars", "registration", "mfa", true)).body("action", equalTo("accept"));
    }

    @Test
    void lengthIsCountedInCodePointsNotBytesOrUtf16Units() {
        // Eight emoji: 32 UTF-8 bytes, 16 UTF-16 units, 8 code points.
        check(request("🔑".repeat(8), "registration")).body("action", equalTo("accept"));
        check(request("🔑".repeat(7), "registration")).body("action", equalTo("reject")).body("reasons[0].min", equalTo(8));
    }

    @Test
    void lengthIsCountedAfterNfcNormalization() {
        // Seven "é" written decomposed (e + combining acute): 14 code points as sent, 7 once composed.
        String decomposed = "e\u0301".repeat(7);
        check(request(decomposed, "registration")).body("action", equalTo("reject")).body("reasons[0].code", equalTo("too-short"));
        // The hash stays over the bytes as given: its own range was asked for, not the composed form's.
        upstream.verify(getRequestedFor(urlEqualTo("/range/" + prefix(sha1(decomposed)))));
    }

    private static com.github.tomakehurst.wiremock.matching.RequestPatternBuilder getRequestedFor(
            com.github.tomakehurst.wiremock.matching.UrlPattern url) {
        return com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(url);
    }

    @Test
    void aPasswordOverTheFlowsByteLimitIsTooLong() {
        String seventyThree = "a".repeat(72) + "b";
        check(request(seventyThree, "reset")).body("action", equalTo("reject"))
                .body("reasons[0].code", equalTo("too-long")).body("reasons[0].max", equalTo(72));
        check(request("a".repeat(72), "reset")).body("action", equalTo("accept"));
        // Registration has no byte limit of its own: only the API's 1,024.
        check(request(seventyThree, "registration")).body("action", equalTo("accept"));
    }

    @Test
    void theServicesOwnWordsAreRefusedInDisguise() {
        for (String disguised : List.of("Rubygem5", "rubygems123", "RUBYGEMS!", "rub1gems", "rubygemz", "123Ruby-gems")) {
            check(request(disguised, "registration")).body("action", equalTo("reject"))
                    .body("reasons.code", org.hamcrest.Matchers.hasItem("context-word"))
                    .body("reasons.find { it.code == 'context-word' }.field", equalTo("service"));
        }
    }

    @Test
    void theUsernameEmailAndNameAreRefusedInDisguise() {
        Map<String, Object> context = Map.of("username", "gemcutter", "email", "Jane.Smith@example.com", "name", "Margaret Hamilton");
        assertField(request("G3mcutter!2024", "registration", "context", context), "username");
        assertField(request("9gemcuter9", "registration", "context", context), "username"); // one edit: a letter dropped
        assertField(request("J4ne.Smith99", "registration", "context", context), "email");
        assertField(request("Hamilton!1", "reset", "context", context), "name");
    }

    private static void assertField(Map<String, Object> request, String field) {
        check(request).statusCode(200).body("action", equalTo("reject")).body("reasons.code", org.hamcrest.Matchers.hasItem("context-word"))
                .body("reasons.find { it.code == 'context-word' }.field", equalTo(field))
                // Never the word itself.
                .body(not(containsString("gemcutter"))).body(not(containsString("Jane"))).body(not(containsString("Hamilton")));
    }

    @Test
    void aLongPassphraseThatContainsTheUsernameIsAccepted() {
        check(request("gemcutter is my name but not my password", "registration", "context", Map.of("username", "gemcutter")))
                .body("action", equalTo("accept")).body("reasons", hasSize(0)).body("verdict", equalTo("clean"));
    }

    @Test
    void loginDoesNotApplyTheRuleByDefault() {
        check(request("gem", "login", "context", Map.of("username", "gem"))).body("action", equalTo("allow")).body("reasons", hasSize(0));
    }

    @Test
    void aBreachedLoginWithMfaIsResetAfterTheSecondFactor() {
        check(request(BREACHED, "login", "mfa", true)).body("verdict", equalTo("breached")).body("count", equalTo(52_256))
                .body("action", equalTo("reset-after-mfa")).body("reasons[0].code", equalTo("breached")).body("reasons[0].count", equalTo(52_256));
        check(request(BREACHED, "login", "mfa", false)).body("action", equalTo("require-reset"));
        check(request(BREACHED, "login")).body("action", equalTo("require-reset"));
        Metrics.assertCounted("pwcheck_breached_logins_total{mfa=\"true\"");
        Metrics.assertCounted("pwcheck_breached_logins_total{mfa=\"false\"");
    }

    @Test
    void everyReasonIsListedAndTheActionConsidersThemAll() {
        check(request(BREACHED, "registration", "mfa", false)).body("verdict", equalTo("breached")).body("action", equalTo("reject"))
                .body("reasons.code", equalTo(List.of("breached", "too-short")));
        Metrics.assertCounted("pwcheck_refusals_total{flow=\"registration\",reason=\"too-short\"");
        Metrics.assertCounted("pwcheck_refusals_total{flow=\"registration\",reason=\"breached\"");
    }

    @Test
    void requestsThatMeetTheRuleAreAnsweredExactlyAsBefore() {
        assertEquals("{\"verdict\":\"breached\",\"count\":52256,\"action\":\"reject\"}",
                check(request(BREACHED, "registration")).extract().asString());
        assertEquals("{\"verdict\":\"breached\",\"count\":52256}",
                check(Map.of("password", BREACHED)).extract().asString());
        assertEquals("{\"verdict\":\"clean\",\"count\":0,\"action\":\"allow\"}",
                check(request("short", "login")).extract().asString());
    }

    @Test
    void aSha1RequestGetsTheCorpusAnswerOnly() {
        check(Map.of("sha1", sha1("gem"), "flow", "registration", "context", Map.of("username", "gem"), "mfa", false))
                .body("verdict", equalTo("clean")).body("action", equalTo("accept")).body("reasons", hasSize(0));
    }

    @Test
    void badContextAndMfaAreProblems() {
        for (Map<String, Object> bad : List.of(
                request("long enough password", "registration", "context", "gemcutter"),
                request("long enough password", "registration", "context", Map.of("username", 42)),
                request("long enough password", "registration", "context", Map.of("username", "x".repeat(257))),
                request("long enough password", "registration", "context", Map.of("phone", "555")),
                request("long enough password", "registration", "mfa", "yes"))) {
            check(bad).statusCode(400).contentType("application/problem+json")
                    .body(not(containsString("gemcutter"))).body(not(containsString("xxxx"))).body(not(containsString("555")));
        }
        check(request("long enough password", "registration", "context", Map.of("username", "é".repeat(128)))).statusCode(200);
    }
}
