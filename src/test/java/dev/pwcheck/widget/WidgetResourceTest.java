package dev.pwcheck.widget;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

/** The widget is always served; the demo page only when pwcheck.demo.enabled (off outside dev mode). */
@QuarkusTest
class WidgetResourceTest {

    @Test
    void theWidgetIsAnEsModuleThatAsksRangeWithPadding() {
        given().when().get("/widget/pwcheck.js").then().statusCode(200)
                .contentType(startsWith("text/javascript"))
                .header("Cache-Control", "public, max-age=3600")
                .body(containsString("export function attach"))
                .body(containsString("\"Add-Padding\": \"true\""))
                .body(containsString("crypto.subtle.digest(\"SHA-1\""));
    }

    @Test
    void theWidgetRevalidatesByETag() {
        String etag = given().when().get("/widget/pwcheck.js").then().statusCode(200).extract().header("ETag");
        given().header("If-None-Match", etag).when().get("/widget/pwcheck.js").then().statusCode(304);
    }

    @Test
    void anAcceptHeaderThatRefusesJavaScriptGets406AsAProblem() {
        given().accept("application/json").when().get("/widget/pwcheck.js").then().statusCode(406)
                .contentType("application/problem+json");
    }

    @Test
    void theDemoPageIsNotServedUnlessEnabled() {
        given().when().get("/demo/register.html").then().statusCode(404).contentType("application/problem+json");
    }
}
