package dev.pwcheck.check;

import dev.pwcheck.support.FakeUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static dev.pwcheck.support.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class OperationsTest {

    @Test
    void livenessIsUp() {
        management().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readinessReportsTheCacheAndIsUpWithoutUpstream() {
        management().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("range-cache"));
    }

    @Test
    void metricsArePublishedForPrometheus() {
        management().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("pwcheck_checks_total"))
                .body(containsString("pwcheck_upstream_failures_total{cause=\"timeout\""));
    }

    @Test
    void everyAnswerSourceHasASeriesBeforeTheFirstCheck() {
        String metrics = dev.pwcheck.support.Metrics.scrape();
        for (String source : new String[] { "cache", "upstream", "stale", "mirror", "fallback", "none" }) {
            assertTrue(metrics.contains("pwcheck_check_sources_total{source=\"" + source + "\"}"), source);
        }
    }

    @Test
    void checksAreCountedBySourceAndTimedInHistogramBuckets() {
        given().contentType("application/json").body("{\"sha1\":\"0000000000000000000000000000000000000000\"}")
                .when().post("/v1/passwords/check").then().statusCode(200);

        dev.pwcheck.support.Metrics.assertCounted("pwcheck_check_sources_total{source=\"none\"}");
        String metrics = dev.pwcheck.support.Metrics.scrape();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("http_server_requests_seconds_bucket{") && l.contains("uri=\"/v1/passwords/check\"")
                && l.contains("le=\"0.25\"")), "a p50/p99 across replicas needs buckets");
    }

    @Test
    void readinessListsNoRedisCheckWhenTheSharedTierIsOff() {
        management().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", not(hasItem(containsString("Redis"))));
    }

    @Test
    void healthAndMetricsAreNotServedOnThePublicPort() {
        for (String path : new String[] { "/q/metrics", "/q/health", "/q/health/live", "/q/health/ready", "/q/health/group/upstream",
                "/q/dev-ui", "/q/swagger-ui" }) {
            assertEquals(404, given().when().get(path).statusCode(), path);
        }
    }

    @Test
    void theManagementPortServesNoApi() {
        management().contentType("application/json").body("{\"password\":\"x\"}").when().post("/v1/passwords/check").then().statusCode(404);
        management().when().get("/range/5BAA6").then().statusCode(404);
    }

    @Test
    void theOpenApiDocumentDescribesTheCheckEndpoint() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body(containsString("/v1/passwords/check"));
    }
}
