package dev.pwcheck.check;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import dev.pwcheck.support.ServiceState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
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
import static org.hamcrest.Matchers.equalTo;

/**
 * Per-flow thresholds and answers to unknown, as configured: login needs 100 sightings, reset denies on unknown,
 * registration keeps the defaults (pwcheck.min-count, accept on unknown); api-key needs 100, denies on unknown and
 * rejects a breached password even with a second factor.
 */
@QuarkusTest
@TestProfile(FlowPolicyTest.Configured.class)
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class FlowPolicyTest {

    static final String SEEN_50 = "seen fifty times";
    static final String SEEN_500 = "seen five hundred times";
    static final String NEVER_SEEN = "never seen anywhere";
    static final String UPSTREAM_FAILS = "its range cannot be had";

    public static class Configured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pwcheck.flows.login.min-count", "100", "pwcheck.flows.reset.on-unknown", "deny",
                    "pwcheck.flows.api-key.on-unknown", "deny", "pwcheck.flows.api-key.on-breached-with-mfa", "reject",
                    "pwcheck.flows.api-key.min-count", "100");
        }
    }

    @InjectFakeUpstream
    WireMockServer upstream;

    @Inject
    ServiceState service;

    @BeforeEach
    void serve() {
        service.reset();
        upstream.resetAll();
        serve(SEEN_50, line(suffix(sha1(SEEN_50)), 50));
        serve(SEEN_500, line(suffix(sha1(SEEN_500)), 500));
        serve(NEVER_SEEN, line("0".repeat(35), 3));
        upstream.stubFor(get(urlEqualTo("/range/" + prefix(sha1(UPSTREAM_FAILS)))).willReturn(aResponse().withStatus(500)));
    }

    private void serve(String password, String body) {
        upstream.stubFor(get(urlEqualTo("/range/" + prefix(sha1(password)))).willReturn(aResponse().withStatus(200).withBody(body)));
    }

    private static void expect(String password, String flow, String verdict, int count, String action) {
        checkInFlow(password, flow).body("verdict", equalTo(verdict)).body("count", equalTo(count)).body("action", equalTo(action));
    }

    @Test
    void loginBelowItsOwnThresholdIsCleanAndAllowed() {
        expect(SEEN_50, "login", "clean", 0, "allow");
    }

    @Test
    void loginAtOrAboveItsThresholdRequiresAReset() {
        expect(SEEN_500, "login", "breached", 500, "require-reset");
    }

    @Test
    void registrationUsesTheGlobalThresholdAndRejectsWhatLoginWouldAllow() {
        expect(SEEN_50, "registration", "breached", 50, "reject");
    }

    @Test
    void resetRejectsABreachedPassword() {
        expect(SEEN_500, "reset", "breached", 500, "reject");
    }

    @Test
    void aCleanPasswordIsAllowedOrAcceptedInEveryFlow() {
        expect(NEVER_SEEN, "login", "clean", 0, "allow");
        expect(NEVER_SEEN, "registration", "clean", 0, "accept");
        expect(NEVER_SEEN, "reset", "clean", 0, "accept");
    }

    @Test
    void unknownIsAllowedAtLoginAndAcceptedAtRegistrationByDefault() {
        expect(UPSTREAM_FAILS, "login", "unknown", 0, "allow");
        expect(UPSTREAM_FAILS, "registration", "unknown", 0, "accept");
    }

    @Test
    void unknownIsRejectedWhereTheFlowIsSetToDeny() {
        expect(UPSTREAM_FAILS, "reset", "unknown", 0, "reject");
    }

    @Test
    void theApiKeyFlowTakesItsOwnThresholdAnswerToUnknownAndAnswerToABreachWithMfa() {
        expect(SEEN_50, "api-key", "clean", 0, "accept");
        expect(SEEN_500, "api-key", "breached", 500, "reject");
        expect(UPSTREAM_FAILS, "api-key", "unknown", 0, "reject");
        given().contentType(ContentType.JSON).body(Map.of("password", SEEN_500, "flow", "api-key", "mfa", true))
                .when().post("/v1/passwords/check")
                .then().statusCode(200).body("verdict", equalTo("breached")).body("action", equalTo("reject"));
    }

    @Test
    void checksAndActionsAreCountedByFlow() {
        expect(SEEN_50, "registration", "breached", 50, "reject");
        expect(SEEN_50, "login", "clean", 0, "allow");

        assertCounted("pwcheck_actions_total{action=\"reject\",flow=\"registration\"}");
        assertCounted("pwcheck_actions_total{action=\"allow\",flow=\"login\"}");
        assertCounted("pwcheck_checks_total{flow=\"registration\",verdict=\"breached\"}");
        assertCounted("pwcheck_checks_total{flow=\"login\",verdict=\"clean\"}");
    }
}
