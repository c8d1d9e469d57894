package dev.pwcheck.support;

import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

import static io.restassured.RestAssured.given;

/** Requests to the management interface (health, metrics), which listens on its own port. */
public final class Management {

    private Management() {
    }

    /** The port the management interface of the running test application listens on (a free one in tests). */
    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    public static RequestSpecification management() {
        return given().port(port());
    }
}
