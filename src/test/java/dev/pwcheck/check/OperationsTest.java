package dev.pwcheck.check;

import dev.pwcheck.support.FakeUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class OperationsTest {

    @Test
    void livenessIsUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readinessReportsTheCacheAndIsUpWithoutUpstream() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("range-cache"));
    }

    @Test
    void metricsArePublishedForPrometheus() {
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("pwcheck_checks_total"))
                .body(containsString("pwcheck_upstream_failures_total{cause=\"timeout\""));
    }

    @Test
    void theOpenApiDocumentDescribesTheCheckEndpoint() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body(containsString("/v1/passwords/check"));
    }
}
