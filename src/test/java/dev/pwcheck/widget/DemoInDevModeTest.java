package dev.pwcheck.widget;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/**
 * What {@code ./mvnw quarkus:dev} gives an operator: the demo page is on by the dev profile's own default, with
 * nothing set by hand. (Outside dev mode it is a 404: {@link WidgetResourceTest}.)
 */
@QuarkusTest
@TestProfile(DemoInDevModeTest.DevProfile.class)
class DemoInDevModeTest {

    public static class DevProfile implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "dev";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // Only the port: %test's free-port setting does not apply under the dev profile.
            return Map.of("quarkus.http.test-port", "0");
        }
    }

    @Test
    void theDemoPageIsServedInDevModeByDefault() {
        given().when().get("/demo/register.html").then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("/widget/pwcheck.js"));
    }
}
