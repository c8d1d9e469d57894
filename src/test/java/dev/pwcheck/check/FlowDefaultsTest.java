package dev.pwcheck.check;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import dev.pwcheck.support.ServiceState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.pwcheck.support.Checks.checkInFlow;
import static dev.pwcheck.support.Checks.checkPassword;
import static dev.pwcheck.support.Hashes.line;
import static dev.pwcheck.support.Hashes.prefix;
import static dev.pwcheck.support.Hashes.sha1;
import static dev.pwcheck.support.Hashes.suffix;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** With no per-flow settings: login fails open and asks for a reset on breach; registration and reset reject breaches. */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class FlowDefaultsTest {

    static final String BREACHED = "P@ssw0rd";
    static final String UPSTREAM_FAILS = "its range cannot be had";

    @InjectFakeUpstream
    WireMockServer upstream;

    @Inject
    ServiceState service;

    @BeforeEach
    void serve() {
        service.reset();
        upstream.resetAll();
        upstream.stubFor(get(urlEqualTo("/range/" + prefix(sha1(BREACHED))))
                .willReturn(aResponse().withStatus(200).withBody(line(suffix(sha1(BREACHED)), 52_256))));
        upstream.stubFor(get(urlEqualTo("/range/" + prefix(sha1(UPSTREAM_FAILS)))).willReturn(aResponse().withStatus(500)));
    }

    @Test
    void aBreachedPasswordAtLoginRequiresAReset() {
        checkInFlow(BREACHED, "login").body("verdict", equalTo("breached")).body("action", equalTo("require-reset"));
    }

    @Test
    void aBreachedPasswordIsRejectedAtRegistrationAndReset() {
        checkInFlow(BREACHED, "registration").body("action", equalTo("reject"));
        checkInFlow(BREACHED, "reset").body("action", equalTo("reject"));
    }

    @Test
    void unknownProceedsInEveryFlow() {
        checkInFlow(UPSTREAM_FAILS, "login").body("verdict", equalTo("unknown")).body("action", equalTo("allow"));
        checkInFlow(UPSTREAM_FAILS, "registration").body("action", equalTo("accept"));
        checkInFlow(UPSTREAM_FAILS, "reset").body("action", equalTo("accept"));
    }

    @Test
    void aCheckWithoutAFlowHasNoAction() {
        checkPassword(BREACHED).body("verdict", equalTo("breached")).body(not(containsString("action")));
    }

    @Test
    void aNullFlowIsNoFlow() {
        given().contentType(ContentType.JSON).body("{\"password\":\"" + BREACHED + "\",\"flow\":null}")
                .when().post("/v1/passwords/check")
                .then().statusCode(200).body("verdict", equalTo("breached")).body(not(containsString("action")));
    }

    @Test
    void anUnknownFlowIsABadRequest() {
        given().contentType(ContentType.JSON).body(Map.of("password", BREACHED, "flow", "signup"))
                .when().post("/v1/passwords/check")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("\"flow\" must be login, registration, reset or api-key"))
                .body(not(containsString(BREACHED)));
    }

    @Test
    void aFlowThatIsNotAStringIsABadRequest() {
        given().contentType(ContentType.JSON).body("{\"password\":\"x\",\"flow\":1}")
                .when().post("/v1/passwords/check")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void flowNamesAreExact() {
        given().contentType(ContentType.JSON).body(Map.of("password", BREACHED, "flow", "Login"))
                .when().post("/v1/passwords/check")
                .then().statusCode(400);
    }
}
