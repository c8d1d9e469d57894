package dev.pwcheck.check;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import dev.pwcheck.support.ServiceState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.pwcheck.support.Checks.checkInFlow;
import static dev.pwcheck.support.Hashes.line;
import static dev.pwcheck.support.Hashes.prefix;
import static dev.pwcheck.support.Hashes.sha1;
import static dev.pwcheck.support.Hashes.suffix;
import static dev.pwcheck.support.Metrics.assertCounted;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * The {@code api-key} flow with its defaults: a password presented to mint an API key ({@code gem signin}) is refused
 * when breached, answered {@code reset-after-mfa} when the user has a second factor, accepted when clean or unknown,
 * and measured by no length or context-word rule.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class ApiKeyFlowTest {

    static final String BREACHED = "P@ssw0rd";
    static final String SHORT_BREACHED = "gem";
    static final String CLEAN = "a long and unusual passphrase of my own";
    static final String UPSTREAM_FAILS = "its range cannot be had";

    @InjectFakeUpstream
    WireMockServer upstream;

    @Inject
    ServiceState service;

    @BeforeEach
    void serve() {
        service.reset();
        upstream.resetAll();
        serve(BREACHED, line(suffix(sha1(BREACHED)), 52_256));
        serve(SHORT_BREACHED, line(suffix(sha1(SHORT_BREACHED)), 7));
        serve(CLEAN, line("0".repeat(35), 3));
        upstream.stubFor(get(urlEqualTo("/range/" + prefix(sha1(UPSTREAM_FAILS)))).willReturn(aResponse().withStatus(500)));
    }

    private void serve(String password, String body) {
        upstream.stubFor(get(urlEqualTo("/range/" + prefix(sha1(password)))).willReturn(aResponse().withStatus(200).withBody(body)));
    }

    static ValidatableResponse check(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/passwords/check").then().statusCode(200);
    }

    @Test
    void aBreachedPasswordGetsNoKey() {
        checkInFlow(BREACHED, "api-key").body("verdict", equalTo("breached")).body("count", equalTo(52_256))
                .body("action", equalTo("reject")).body(not(containsString("reasons")));
    }

    @Test
    void aBreachedPasswordOfAUserWithASecondFactorIsResetAfterTheSecondFactor() {
        check(Map.of("password", BREACHED, "flow", "api-key", "mfa", true))
                .body("verdict", equalTo("breached")).body("count", equalTo(52_256))
                .body("action", equalTo("reset-after-mfa"))
                .body("reasons.code", contains("breached"));
    }

    @Test
    void withoutASecondFactorABreachedPasswordIsRejected() {
        check(Map.of("password", BREACHED, "flow", "api-key", "mfa", false)).body("action", equalTo("reject"));
    }

    @Test
    void aCleanPasswordGetsItsKey() {
        checkInFlow(CLEAN, "api-key").body("verdict", equalTo("clean")).body("count", equalTo(0)).body("action", equalTo("accept"));
    }

    @Test
    void unknownAcceptsByDefault() {
        checkInFlow(UPSTREAM_FAILS, "api-key").body("verdict", equalTo("unknown")).body("action", equalTo("accept"));
    }

    @Test
    void lengthAndContextWordsAreNotMeasuredByDefaultAsAtLogin() {
        // Short, single-factor and the user's own name: only the corpus decides, as at login.
        check(Map.of("password", CLEAN, "flow", "api-key", "mfa", false, "context", Map.of("username", CLEAN)))
                .body("action", equalTo("accept")).body("reasons", equalTo(java.util.List.of()));
        check(Map.of("password", "Gemcutter", "flow", "api-key", "mfa", false, "context", Map.of("username", "gemcutter")))
                .body("action", equalTo("accept"));
        check(Map.of("password", SHORT_BREACHED, "flow", "api-key", "mfa", false))
                .body("action", equalTo("reject")).body("reasons.code", contains("breached"));
    }

    @Test
    void aSha1RequestGetsTheSameActions() {
        given().contentType(ContentType.JSON).body(Map.of("sha1", sha1(BREACHED), "flow", "api-key", "mfa", true))
                .when().post("/v1/passwords/check")
                .then().statusCode(200).body("action", equalTo("reset-after-mfa"));
    }

    @Test
    void theWireNameIsExact() {
        for (String name : new String[] { "api_key", "apikey", "API-KEY" }) {
            given().contentType(ContentType.JSON).body(Map.of("password", BREACHED, "flow", name))
                    .when().post("/v1/passwords/check")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("detail", equalTo("\"flow\" must be login, registration, reset or api-key"))
                    .body(not(containsString(BREACHED)));
        }
    }

    @Test
    void checksAndActionsAreCountedUnderTheFlow() {
        checkInFlow(BREACHED, "api-key").body("action", equalTo("reject"));
        check(Map.of("password", BREACHED, "flow", "api-key", "mfa", true)).body("action", equalTo("reset-after-mfa"));
        checkInFlow(CLEAN, "api-key").body("action", equalTo("accept"));

        assertCounted("pwcheck_checks_total{flow=\"api-key\",verdict=\"breached\"}");
        assertCounted("pwcheck_checks_total{flow=\"api-key\",verdict=\"clean\"}");
        assertCounted("pwcheck_actions_total{action=\"reject\",flow=\"api-key\"}");
        assertCounted("pwcheck_actions_total{action=\"reset-after-mfa\",flow=\"api-key\"}");
        assertCounted("pwcheck_actions_total{action=\"accept\",flow=\"api-key\"}");
        assertCounted("pwcheck_refusals_total{flow=\"api-key\",reason=\"breached\"}");
    }

    @Test
    void theWidgetServesTheFlowsRule() {
        given().when().get("/widget/rules?flow=api-key")
                .then().statusCode(200).body("flow", equalTo("api-key")).body("minLength", equalTo(0))
                .body("minLengthSingleFactor", equalTo(0)).body("refuseContextWords", equalTo(false));
    }
}
