package dev.pwcheck.security;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.CapturedLogs;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import dev.pwcheck.support.InjectLocalRedis;
import dev.pwcheck.support.LocalRedis;
import dev.pwcheck.support.Metrics;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.pwcheck.support.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code pwcheck.rate-limit.shared=redis} against a real redis-server: the per-IP bucket (rate 1/s, burst 3 here) lives
 * in Redis, so its budget is spent there; with Redis gone the replica limits with its own buckets (never unlimited,
 * never refusing everyone) and says so in its health and metrics, and it returns to the shared buckets once Redis is
 * back. Three packaged replicas sharing one budget: {@code SharedRateLimitIT}.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = LocalRedis.class, restrictToAnnotatedClass = true)
@TestProfile(SharedRateLimitTest.Shared.class)
class SharedRateLimitTest {

    public static class Shared implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pwcheck.rate-limit.enabled", "true", "pwcheck.rate-limit.shared", "redis",
                    "pwcheck.rate-limit.per-ip-rate", "1", "pwcheck.rate-limit.per-ip-burst", "3",
                    // Generous against a busy machine: a decision is one or two Redis round trips on loopback.
                    "pwcheck.rate-limit.shared-timeout", "2s", "pwcheck.rate-limit.shared-retry", "1s");
        }
    }

    @InjectFakeUpstream
    WireMockServer upstream;

    @InjectLocalRedis
    LocalRedis redis;

    @Inject
    RedisDataSource data;

    @BeforeEach
    void upstreamAndAFullBucket() throws InterruptedException {
        upstream.resetAll();
        upstream.stubFor(get(urlPathMatching("/range/.*")).willReturn(aResponse().withStatus(200).withBody("0000000000000000000000000000000000A:1")));
        awaitBuckets("shared");
        data.key().del("pwcheck:rate:ip:127.0.0.1");
    }

    private static Response check() {
        return given().contentType(ContentType.JSON).body(Map.of("sha1", "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8"))
                .when().post("/v1/passwords/check");
    }

    private static String buckets() {
        return management().get("/q/health/ready").then().extract().path("checks.find { it.name == 'rate-limit' }.data.buckets");
    }

    /** Waits, well past the retry interval, until the health check says the buckets are {@code expected}. */
    private static void awaitBuckets(String expected) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!expected.equals(buckets()) && System.nanoTime() < until) {
            check();
            Thread.sleep(200);
        }
        assertEquals(expected, buckets());
    }

    @Test
    void theBudgetIsSpentInRedis() {
        long start = System.nanoTime();
        int admitted = 0;
        for (int i = 0; i < 10; i++) {
            Response answer = check();
            if (answer.statusCode() == 200) {
                admitted++;
            } else {
                assertEquals(429, answer.statusCode());
                assertEquals("application/problem+json", answer.contentType());
                assertTrue(Integer.parseInt(answer.header("Retry-After")) >= 1);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // Burst 3, plus one a second for however long ten requests took on this machine.
        assertTrue(admitted >= 3 && admitted <= 3 + (int) Math.ceil(seconds), admitted + " admitted in " + seconds + " s");
        assertTrue(data.key().exists("pwcheck:rate:ip:127.0.0.1"), "the bucket is in Redis");
        assertEquals("shared", buckets());
        assertTrue(Metrics.scrape().contains("pwcheck_rate_limit_shared 1.0"), Metrics.scrape());
    }

    @Test
    void withoutRedisTheReplicaLimitsOnItsOwnAndComesBack() throws Exception {
        try (CapturedLogs logs = CapturedLogs.start()) {
            redis.stopServer();
            try {
                // The first decision waits for Redis to fail; then local buckets decide at once.
                Response first = check();
                assertTrue(first.statusCode() == 200 || first.statusCode() == 429, first.asString());
                assertEquals("local-fallback", buckets());
                int admitted = 0;
                int refused = 0;
                for (int i = 0; i < 10; i++) {
                    int status = check().statusCode();
                    admitted += status == 200 ? 1 : 0;
                    refused += status == 429 ? 1 : 0;
                }
                assertEquals(10, admitted + refused, "every check answered, none failed");
                assertTrue(admitted >= 1 && refused >= 1, "limited by the local bucket, not unlimited nor closed: " + admitted + " admitted");
                management().get("/q/health/ready").then().statusCode(200)
                        .body("checks.find { it.name == 'rate-limit' }.data.reason", org.hamcrest.Matchers.startsWith("Redis unreachable ("));
                String metrics = Metrics.scrape();
                assertTrue(metrics.contains("pwcheck_rate_limit_shared 0.0"), metrics);
                assertTrue(metrics.contains("pwcheck_rate_limit_shared_fallbacks_total"), metrics);
            } finally {
                redis.startServer();
            }
            awaitBuckets("shared");
            assertTrue(Metrics.scrape().contains("pwcheck_rate_limit_shared 1.0"));
            assertTrue(logs.errors().isEmpty(), "no ERROR for a Redis outage: " + logs.errors());
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("Shared rate limits unreachable in Redis")), "one WARN says so");
        }
    }

    @Test
    void theHealthCheckStaysUpThroughout() {
        management().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'rate-limit' }.status", equalTo("UP"));
    }
}
