package dev.pwcheck.support;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import java.util.Map;

import static io.restassured.RestAssured.given;

/** The check endpoint as a caller sees it. */
public final class Checks {

    private Checks() {
    }

    public static ValidatableResponse checkSha1(String sha1) {
        return given().contentType(ContentType.JSON).body(Map.of("sha1", sha1)).when().post("/v1/passwords/check").then().statusCode(200);
    }

    public static ValidatableResponse checkInFlow(String password, String flow) {
        return given().contentType(ContentType.JSON).body(Map.of("password", password, "flow", flow)).when().post("/v1/passwords/check").then().statusCode(200);
    }

    public static ValidatableResponse checkPassword(String password) {
        return given().contentType(ContentType.JSON).body(Map.of("password", password)).when().post("/v1/passwords/check").then().statusCode(200);
    }
}
