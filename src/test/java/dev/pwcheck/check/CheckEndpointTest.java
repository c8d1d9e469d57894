package dev.pwcheck.check;

import dev.pwcheck.range.Source;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.ServiceState;
import dev.pwcheck.support.InjectFakeUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import jakarta.inject.Inject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static dev.pwcheck.support.Hashes.line;
import static dev.pwcheck.support.Hashes.prefix;
import static dev.pwcheck.support.Hashes.rangeBody;
import static dev.pwcheck.support.Hashes.sha1;
import static dev.pwcheck.support.Hashes.suffix;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class CheckEndpointTest {

    /** SHA-1("password"), the best-known entry of the corpus. */
    static final String PASSWORD_SHA1 = "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8";

    @InjectFakeUpstream
    WireMockServer upstream;

    @Inject
    ServiceState service;

    @BeforeEach
    void freshUpstreamAndCache() {
        upstream.resetAll();
        service.reset();
    }

    private void serveRange(String prefix, String body) {
        upstream.stubFor(get(urlEqualTo("/range/" + prefix)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain").withBody(body)));
    }

    private static ValidatableResponse check(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/passwords/check").then();
    }

    @Test
    void aPasswordInTheCorpusIsBreachedWithItsCount() {
        serveRange("5BAA6", rangeBody("003D68EB55068C33ACE09247EE4C639306B:3", "1E4C9B93F3F0682250B6CF8331B7EE68FD8:3861493",
                "1E4C9B93F3F0682250B6CF8331B7EE68FD9:0"));

        check(Map.of("password", "password")).statusCode(200)
                .contentType(ContentType.JSON)
                .header(Source.HEADER, "upstream")
                .body("verdict", equalTo("breached"))
                .body("count", equalTo(3861493));
    }

    @Test
    void aPasswordAbsentFromItsRangeIsClean() {
        String hash = sha1("correct horse battery staple 9f1c");
        serveRange(prefix(hash), rangeBody("0000000000000000000000000000000000A:12", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:4"));

        check(Map.of("password", "correct horse battery staple 9f1c")).statusCode(200)
                .body("verdict", equalTo("clean"))
                .body("count", equalTo(0));
    }

    @Test
    void aSha1IsLookedUpWithoutThePassword() {
        serveRange("5BAA6", rangeBody("1E4C9B93F3F0682250B6CF8331B7EE68FD8:3861493"));

        check(Map.of("sha1", PASSWORD_SHA1.toLowerCase(Locale.ROOT))).statusCode(200)
                .body("verdict", equalTo("breached"))
                .body("count", equalTo(3861493));
    }

    @Test
    void aUnicodePasswordIsHashedAsItsUtf8Bytes() {
        String password = "pässwörd-密码-🔑";
        String hash = sha1(password);
        serveRange(prefix(hash), rangeBody(line(suffix(hash), 17)));

        check(Map.of("password", password)).statusCode(200)
                .body("verdict", equalTo("breached"))
                .body("count", equalTo(17));
    }

    @Test
    void surroundingSpacesArePartOfThePassword() {
        String padded = "  hunter2 ";
        String hash = sha1(padded);
        // The trimmed password is in the same range only by chance; put the padded one there and nothing else.
        serveRange(prefix(hash), rangeBody(line(suffix(hash), 5)));
        serveRange(prefix(sha1("hunter2")), rangeBody("0000000000000000000000000000000000A:1"));

        check(Map.of("password", padded)).statusCode(200).body("verdict", equalTo("breached")).body("count", equalTo(5));
        check(Map.of("password", "hunter2")).statusCode(200).body("verdict", equalTo("clean"));
    }

    @Test
    void aPaddingEntryNeverMakesAPasswordBreached() {
        String hash = sha1("padding-only-password");
        serveRange(prefix(hash), rangeBody("0000000000000000000000000000000000A:3", line(suffix(hash), 0)));

        check(Map.of("password", "padding-only-password")).statusCode(200)
                .body("verdict", equalTo("clean"))
                .body("count", equalTo(0));
    }

    @Test
    void lowercaseSuffixesInTheAnswerStillMatch() {
        String hash = sha1("lowercase-upstream");
        serveRange(prefix(hash), rangeBody(line(suffix(hash).toLowerCase(Locale.ROOT), 42)));

        check(Map.of("password", "lowercase-upstream")).statusCode(200)
                .body("verdict", equalTo("breached"))
                .body("count", equalTo(42));
    }

    @Test
    void lfOnlyAnswersAreAccepted() {
        String hash = sha1("lf-upstream");
        serveRange(prefix(hash), "0000000000000000000000000000000000A:3\n" + suffix(hash) + ":8\n");

        check(Map.of("password", "lf-upstream")).statusCode(200).body("verdict", equalTo("breached")).body("count", equalTo(8));
    }

    @Test
    void aSecondCheckInTheSamePrefixIsAnsweredFromTheCache() {
        serveRange("5BAA6", rangeBody("003D68EB55068C33ACE09247EE4C639306B:3", "1E4C9B93F3F0682250B6CF8331B7EE68FD8:3861493"));

        check(Map.of("password", "password")).statusCode(200).header(Source.HEADER, "upstream");
        check(Map.of("sha1", "5BAA6003D68EB55068C33ACE09247EE4C639306B")).statusCode(200)
                .header(Source.HEADER, "cache")
                .body("verdict", equalTo("breached"))
                .body("count", equalTo(3));

        upstream.verify(1, getRequestedFor(urlEqualTo("/range/5BAA6")));
    }

    @Test
    void upstreamOnlyEverReceivesTheUppercaseFivecharPrefixWithPaddingAndUserAgent() {
        upstream.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200).withBody("")));

        check(Map.of("sha1", "abcdef0123456789abcdef0123456789abcdef01")).statusCode(200).body("verdict", equalTo("clean"));
        check(Map.of("password", "password")).statusCode(200);

        upstream.verify(2, anyRequestedFor(anyUrl()));
        upstream.verify(getRequestedFor(urlEqualTo("/range/ABCDE")));
        upstream.verify(2, getRequestedFor(urlMatching("/range/[0-9A-F]{5}"))
                .withHeader("Add-Padding", WireMock.equalTo("true"))
                .withHeader("User-Agent", matching("pwcheck/.+")));
        upstream.getAllServeEvents().forEach(event -> {
            assertTrue(event.getRequest().getUrl().matches("/range/[0-9A-F]{5}"), "only the prefix travels in the URL");
            assertEquals("", event.getRequest().getBodyAsString(), "no body is sent");
            assertTrue(!event.getRequest().getHeaders().toString().toUpperCase(Locale.ROOT).contains(PASSWORD_SHA1.substring(5)),
                    "no header carries the rest of the hash");
        });
    }
}
