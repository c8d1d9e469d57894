package dev.pwcheck.api;

import dev.pwcheck.support.NodeScript;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The OpenAPI document as a registry's client generator meets it: Redocly CLI (the npm package, pinned in
 * src/test/e2e) lints /q/openapi under its recommended rules, and any error or warning fails the build.
 */
@QuarkusTest
class OpenApiLintTest {

    @Test
    void theOpenApiDocumentLintsCleanUnderRedoclysRecommendedRules() throws Exception {
        String yaml = given().when().get("/q/openapi").then().statusCode(200).extract().asString();
        Path file = Path.of("target", "openapi.yaml").toAbsolutePath();
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);

        NodeScript.Result lint = NodeScript.tool("redocly", "lint", file.toString(), "--extends", "recommended",
                "--max-problems", "100");
        assertEquals(0, lint.exitCode(), lint.output());
        assertEquals(false, lint.output().matches("(?s).*\\b[1-9]\\d* (warning|error)s?\\b.*"), lint.output());
    }
}
