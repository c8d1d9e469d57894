package dev.pwcheck.security;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.AdjustableTicker;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.quarkus.test.common.http.TestHTTPResource;
import dev.pwcheck.support.RawHttp;
import java.net.URL;

import java.time.Duration;
import java.util.Map;

import static dev.pwcheck.support.Management.management;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.pwcheck.support.Metrics.assertCounted;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Token buckets: each caller has its own (rate 1/s, burst 2 here), requests without a caller share their IP's
 * (rate 1/s, burst 3). Past the bucket: 429 with Retry-After; after the refill, served again.
 */
@QuarkusTest
@TestProfile(RateLimitTest.Tight.class)
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class RateLimitTest {

    static final String KEY_A = "caller-a-key-0123456789";
    static final String KEY_B = "caller-b-key-9876543210";

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true", "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1",
                    "pwcheck.rate-limit.enabled", "true",
                    "pwcheck.rate-limit.per-caller-rate", "1", "pwcheck.rate-limit.per-caller-burst", "2",
                    "pwcheck.rate-limit.per-ip-rate", "1", "pwcheck.rate-limit.per-ip-burst", "3",
                    "pwcheck.auth.api-key-hashes", "login:" + ApiKeysTest.hashOf(KEY_A) + ",registration:" + ApiKeysTest.hashOf(KEY_B));
        }
    }

    @InjectFakeUpstream
    WireMockServer upstream;

    @Inject
    AdjustableTicker ticker;

    @TestHTTPResource("/")
    URL url;

    @BeforeEach
    void refill() {
        upstream.resetAll();
        upstream.stubFor(get(urlPathMatching("/range/.*")).willReturn(aResponse().withStatus(200).withBody("0000000000000000000000000000000000A:1")));
        // Every bucket is full again after this, whatever the previous test spent.
        ticker.advance(Duration.ofMinutes(1));
    }

    private static ValidatableResponse check(String key) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + key).body(Map.of("sha1", "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8"))
                .when().post("/v1/passwords/check").then();
    }

    @Test
    void aCallerPastItsBurstGets429WithRetryAfter() {
        check(KEY_A).statusCode(200);
        check(KEY_A).statusCode(200);
        check(KEY_A).statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", "1")
                .body("status", equalTo(429));
        assertCounted("pwcheck_rate_limited_total{caller=\"login\",scope=\"caller\"}");
    }

    @Test
    void anotherCallerIsServedWhileOneIsLimited() {
        check(KEY_A).statusCode(200);
        check(KEY_A).statusCode(200);
        check(KEY_A).statusCode(429);

        check(KEY_B).statusCode(200);
    }

    @Test
    void aLimitedCallerIsServedAgainOnceTheBucketRefills() {
        check(KEY_A).statusCode(200);
        check(KEY_A).statusCode(200);
        check(KEY_A).statusCode(429);

        ticker.advance(Duration.ofMillis(1100));

        check(KEY_A).statusCode(200);
        check(KEY_A).statusCode(429);
    }

    @Test
    void rangeRequestsAreLimitedPerClientIp() {
        for (int i = 0; i < 3; i++) {
            given().when().get("/range/5BAA6").then().statusCode(200);
        }
        given().when().get("/range/5BAA6").then().statusCode(429).header("Retry-After", "1");
        assertCounted("pwcheck_rate_limited_total{caller=\"none\",scope=\"ip\"}");
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnBucket() {
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", "203.0.113.7").when().get("/range/5BAA6").then().statusCode(200);
        }
        given().header("X-Forwarded-For", "203.0.113.7").when().get("/range/5BAA6").then().statusCode(429);

        given().header("X-Forwarded-For", "198.51.100.9").when().get("/range/5BAA6").then().statusCode(200);
    }

    @Test
    void noSpellingOfThePathGetsRoundTheLimit() throws Exception {
        for (int i = 0; i < 3; i++) {
            given().when().get("/range/5BAA6").then().statusCode(200);
        }
        for (String path : new String[] { "//range/5BAA6", "/./range/5BAA6", "/%72ange/5BAA6" }) {
            assertEquals(429, RawHttp.getStatus(url, path), path);
        }
    }

    @Test
    void operationsEndpointsAreNotLimited() {
        for (int i = 0; i < 10; i++) {
            management().when().get("/q/health/live").then().statusCode(200);
        }
    }
}
