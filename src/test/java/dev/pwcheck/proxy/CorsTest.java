package dev.pwcheck.proxy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** The registration form's origin (pwcheck.cors.origins) may ask /range from the browser, padding header included; others may not. */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
@TestProfile(CorsTest.RegistryOrigin.class)
class CorsTest {

    static final String FORM = "https://registry.example";

    public static class RegistryOrigin implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pwcheck.cors.origins", FORM);
        }
    }

    @InjectFakeUpstream
    WireMockServer upstream;

    @Test
    void theFormsOriginMayPreflightARangeRequestWithAddPadding() {
        given().header("Origin", FORM).header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "add-padding")
                .when().options("/range/ABCDE")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(FORM))
                .header("Access-Control-Allow-Headers", containsString("add-padding"));
    }

    @Test
    void theFormsOriginReadsTheRangeAndItsHeaders() {
        upstream.stubFor(get(urlEqualTo("/range/ABCDE")).willReturn(aResponse().withStatus(200).withBody("0000000000000000000000000000000000A:3")));
        given().header("Origin", FORM).header("Add-Padding", "true")
                .when().get("/range/ABCDE")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(FORM))
                .header("Access-Control-Expose-Headers", containsString("X-Pwcheck-Source"));
    }

    @Test
    void aRefusalOfTheRequestLimitsCarriesTheCorsHeadersSoTheFormCanReadIt() {
        given().header("Origin", FORM).header("X-Padding", "p".repeat(20_000))
                .when().get("/range/ABCDE")
                .then().statusCode(431).contentType("application/problem+json")
                .header("Access-Control-Allow-Origin", equalTo(FORM));
    }

    @Test
    void theFormsOriginMayImportTheWidgetModule() {
        // A cross-origin ES module import is a CORS request: without the header the browser refuses the module.
        given().header("Origin", FORM)
                .when().get("/widget/pwcheck.js")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(FORM));
    }

    @Test
    void anotherOriginIsNotAllowed() {
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "GET")
                .when().options("/range/ABCDE")
                .then().header("Access-Control-Allow-Origin", not(equalTo("https://evil.example")));
        given().header("Origin", "https://evil.example").contentType("application/json").body("{\"password\":\"x-origin\"}")
                .when().post("/v1/passwords/check")
                .then().statusCode(403).header("Access-Control-Allow-Origin", nullValue());
    }
}
