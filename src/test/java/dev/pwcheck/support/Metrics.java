package dev.pwcheck.support;

import static dev.pwcheck.support.Management.management;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service's Prometheus scrape, read as an operator's dashboard would. */
public final class Metrics {

    private Metrics() {
    }

    public static String scrape() {
        return management().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** Asserts that a series starting with {@code series} (name and leading tags) has counted something. */
    public static void assertCounted(String series) {
        String metrics = scrape();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith(series) && !l.endsWith(" 0.0")),
                () -> series + " counted nothing: " + metrics.lines().filter(l -> l.startsWith(series)).toList());
    }
}
