package dev.pwcheck.check;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

/** With nothing listening upstream (connection refused) every check is an immediate unknown, never a 500. */
@QuarkusTest
@TestProfile(UnreachableUpstreamTest.ClosedPort.class)
class UnreachableUpstreamTest {

    public static class ClosedPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try (ServerSocket socket = new ServerSocket(0)) {
                // The port was free a moment ago and nothing of ours listens on it after this socket closes.
                return Map.of("quarkus.rest-client.hibp.url", "http://127.0.0.1:" + socket.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void connectionRefusedIsUnknown() {
        given().contentType(ContentType.JSON).body(Map.of("password", "password"))
                .when().post("/v1/passwords/check")
                .then().statusCode(200)
                .time(lessThan(2000L), TimeUnit.MILLISECONDS)
                .header(CheckResource.SOURCE_HEADER, "none")
                .body("verdict", equalTo("unknown"))
                .body("count", equalTo(0));
    }

    @Test
    void aSha1CheckIsUnknownToo() {
        given().contentType(ContentType.JSON).body(Map.of("sha1", "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8"))
                .when().post("/v1/passwords/check")
                .then().statusCode(200)
                .body("verdict", equalTo("unknown"));
    }

    @Test
    void upstreamFailuresAreCountedByCause() {
        given().contentType(ContentType.JSON).body(Map.of("password", "count-my-failure"))
                .when().post("/v1/passwords/check").then().statusCode(200);

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(
                metrics.lines().anyMatch(l -> l.startsWith("pwcheck_upstream_failures_total{cause=\"connect\"") && !l.endsWith(" 0.0")),
                "connect failures are counted");
    }
}
