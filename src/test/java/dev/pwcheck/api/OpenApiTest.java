package dev.pwcheck.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /q/openapi describes both endpoints with examples, their error answers as problems, and the bearer key. */
@QuarkusTest
class OpenApiTest {

    JsonPath doc;

    @BeforeEach
    void fetch() {
        doc = given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void theCheckRequestHasExamplesOfEachForm() {
        Map<String, Object> examples = doc.getMap("paths.'/v1/passwords/check'.post.requestBody.content.'application/json'.examples");
        assertEquals(List.of("password", "sha1", "login flow", "api-key flow", "registration with context").stream().sorted().toList(),
                examples.keySet().stream().sorted().toList());
        assertEquals("#/components/schemas/CheckRequest", doc.getString("paths.'/v1/passwords/check'.post.requestBody.content.'application/json'.schema.$ref"));
        assertEquals(List.of("login", "registration", "reset", "api-key"), doc.getList("components.schemas.CheckRequest.properties.flow.enum"));
        assertNotNull(doc.get("components.schemas.CheckRequest.properties.context"));
        assertNotNull(doc.get("components.schemas.CheckRequest.properties.mfa"));
        assertNotNull(doc.get("components.schemas.CheckResponse.properties.reasons"));
    }

    @Test
    void theCheckAnswerHasVerdictExamples() {
        Map<String, Object> examples = doc.getMap("paths.'/v1/passwords/check'.post.responses.'200'.content.'application/json'.examples");
        assertTrue(examples.keySet().containsAll(List.of("breached", "clean", "unknown")), examples.keySet().toString());
        assertNotNull(doc.get("paths.'/v1/passwords/check'.post.responses.'200'.headers.'X-Pwcheck-Source'"));
    }

    @Test
    void everyCheckErrorIsAProblemWithAnExample() {
        for (String status : List.of("400", "401", "403", "413", "415", "429")) {
            String base = "paths.'/v1/passwords/check'.post.responses.'" + status + "'.content.'application/problem+json'";
            assertEquals("#/components/schemas/Problem", doc.getString(base + ".schema.$ref"), status);
            assertTrue(doc.getMap(base + ".examples").size() >= 1, status);
        }
    }

    @Test
    void theRangeEndpointIsDescribedWithItsErrors() {
        String base = "paths.'/range/{prefix}'.get.responses";
        assertNotNull(doc.get(base + ".'200'.content.'text/plain'.examples"));
        for (String status : List.of("400", "429", "503")) {
            assertEquals("#/components/schemas/Problem", doc.getString(base + ".'" + status + "'.content.'application/problem+json'.schema.$ref"), status);
        }
    }

    @Test
    void theCheckEndpointDeclaresTheBearerKey() {
        assertEquals("bearer", doc.getString("components.securitySchemes.apiKey.scheme"));
        assertEquals(List.of(Map.of("apiKey", List.of())), doc.getList("paths.'/v1/passwords/check'.post.security"));
    }

    @Test
    void theProblemSchemaHasItsFourFields() {
        assertEquals(List.of("detail", "status", "title", "type"),
                doc.getMap("components.schemas.Problem.properties").keySet().stream().sorted().toList());
    }
}
