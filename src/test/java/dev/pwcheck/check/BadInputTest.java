package dev.pwcheck.check;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** Every malformed request is a 4xx problem, never a 500, never an echo of the password, never an upstream call. */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class BadInputTest {

    static final String SECRET = "Tr0ub4dor&3-secret";

    @InjectFakeUpstream
    WireMockServer upstream;

    @AfterEach
    void nothingWentUpstream() {
        upstream.verify(0, anyRequestedFor(anyUrl()));
        upstream.resetAll();
    }

    private static ValidatableResponse post(String contentType, String body) {
        return given().contentType(contentType).body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/passwords/check").then();
    }

    private static ValidatableResponse postJson(String body) {
        return post("application/json", body);
    }

    private static void isProblem(ValidatableResponse response, int status) {
        response.statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("title", not(equalTo(null)))
                .body(not(containsString(SECRET)))
                .body(not(containsString("Exception")))
                .body(not(containsString("\tat ")));
    }

    @Test
    void anEmptyObjectIsRefused() {
        isProblem(postJson("{}"), 400);
    }

    @Test
    void aTypoedFieldIsRefusedNamingItNotItsValue() {
        ValidatableResponse typo = postJson("{\"password\":\"" + SECRET + "\",\"flwo\":\"login\"}");
        isProblem(typo, 400);
        typo.body("detail", equalTo("unknown field \"flwo\": the body holds password or sha1, and may hold flow, context and mfa"));
        ValidatableResponse extra = postJson("{\"password\":\"" + SECRET + "\",\"flow\":\"login\",\"extra\":{\"note\":\"" + SECRET + "\"}}");
        isProblem(extra, 400);
        extra.body("detail", containsString("unknown field \"extra\""));
    }

    @Test
    void anUnknownContextFieldIsRefusedNamingItNotItsValue() {
        ValidatableResponse response = postJson("{\"password\":\"x\",\"flow\":\"registration\",\"context\":{\"user\":\"" + SECRET + "\"}}");
        isProblem(response, 400);
        response.body("detail", equalTo("unknown field \"context.user\": \"context\" may hold only username, email and name"));
    }

    @Test
    void aFieldNameThatCouldBeASecretIsNotQuoted() {
        // A caller that put the password where a key belongs: the name is not echoed.
        ValidatableResponse response = postJson("{\"password\":\"x\",\"" + SECRET + "\":true}");
        isProblem(response, 400);
        response.body("detail", equalTo("unknown field (a name that is not a plain word): the body holds password or sha1, and may hold flow, context and mfa"));
    }

    @Test
    void passwordAndSha1TogetherAreRefused() {
        isProblem(postJson("{\"password\":\"" + SECRET + "\",\"sha1\":\"5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8\"}"), 400);
    }

    @Test
    void aPasswordThatIsNotAStringIsRefused() {
        isProblem(postJson("{\"password\":12345678}"), 400);
        isProblem(postJson("{\"password\":null}"), 400);
        isProblem(postJson("{\"password\":[\"" + SECRET + "\"]}"), 400);
        isProblem(postJson("{\"password\":{\"p\":\"" + SECRET + "\"}}"), 400);
        isProblem(postJson("{\"password\":true}"), 400);
    }

    @Test
    void aSha1ThatIsNotAStringIsRefused() {
        isProblem(postJson("{\"sha1\":1234}"), 400);
    }

    @Test
    void aSha1ThatIsNot40HexIsRefused() {
        isProblem(postJson("{\"sha1\":\"5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD\"}"), 400);
        isProblem(postJson("{\"sha1\":\"5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD80\"}"), 400);
        isProblem(postJson("{\"sha1\":\"5BAA61E4C9B93F3F0682250B6CF8331B7EE68FDG\"}"), 400);
        isProblem(postJson("{\"sha1\":\"\"}"), 400);
    }

    @Test
    void malformedJsonIsRefusedWithoutQuotingIt() {
        isProblem(postJson("{\"password\":\"" + SECRET), 400);
        isProblem(postJson("{\"password\" \"" + SECRET + "\"}"), 400);
        isProblem(postJson("{\"password\":\"" + SECRET + "\"} trailing"), 400);
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefused() {
        isProblem(postJson("[\"" + SECRET + "\"]"), 400);
        isProblem(postJson("\"" + SECRET + "\""), 400);
        isProblem(postJson(""), 400);
    }

    @Test
    void duplicateKeysAreRefusedRatherThanGuessed() {
        isProblem(postJson("{\"password\":\"" + SECRET + "\",\"password\":\"other\"}"), 400);
    }

    @Test
    void anEmptyPasswordIsRefused() {
        isProblem(postJson("{\"password\":\"\"}"), 400);
    }

    @Test
    void aPasswordOver1024Utf8BytesIsRefused() {
        // 342 characters but 1026 bytes: the limit is on bytes.
        isProblem(postJson("{\"password\":\"" + "€".repeat(342) + "\"}"), 400);
    }

    @Test
    void aLoneSurrogateIsRefusedRatherThanHashedAsSomethingElse() {
        isProblem(postJson("{\"password\":\"abc\\ud800def\"}"), 400);
    }

    @Test
    void aBodyOver8KiBIsRefusedAsTooLarge() {
        isProblem(postJson("{\"password\":\"" + SECRET + "\",\"x\":\"" + "a".repeat(9000) + "\"}"), 413);
    }

    @Test
    void aChunkedBodyOver8KiBIsRefusedAsTooLarge() {
        byte[] body = ("{\"password\":\"" + SECRET + "\",\"x\":\"" + "a".repeat(9000) + "\"}").getBytes(StandardCharsets.UTF_8);
        // An InputStream body is sent chunked, without a Content-Length to refuse early.
        ValidatableResponse response = given().contentType("application/json").body(new ByteArrayInputStream(body))
                .when().post("/v1/passwords/check").then();
        isProblem(response, 413);
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedAsUnsupported() {
        isProblem(post("text/plain", SECRET), 415);
        isProblem(given().contentType("application/x-www-form-urlencoded").body("password=" + SECRET)
                .when().post("/v1/passwords/check").then(), 415);
    }

    @Test
    void otherMethodsAndPathsAreProblemsToo() {
        isProblem(given().when().get("/v1/passwords/check").then(), 405);
        isProblem(given().when().get("/v1/nothing-here").then(), 404);
    }
}
