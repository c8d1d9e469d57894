package dev.pwcheck.proxy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import dev.pwcheck.support.ServiceState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.pwcheck.support.Hashes.prefix;
import static dev.pwcheck.support.Hashes.sha1;
import static dev.pwcheck.support.Hashes.suffix;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /range/{prefix} behaves as the HIBP range API, served from the same cache as the check endpoint. */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class RangeEndpointTest {

    static final String PREFIX = "A1B2C";
    /** As an upstream might send it: unsorted, lowercase, with padding. */
    static final String UPSTREAM_BODY = "ffff0000000000000000000000000000001:7\r\n"
            + "00000000000000000000000000000000002:0\r\n"
            + "0000000000000000000000000000000000A:12\r\n"
            + "8888888888888888888888888888888888B:3861493";
    /** What HIBP itself would answer unpadded: sorted, uppercase, real entries only. */
    static final List<String> EXPECTED = List.of(
            "0000000000000000000000000000000000A:12",
            "8888888888888888888888888888888888B:3861493",
            "FFFF0000000000000000000000000000001:7");

    @InjectFakeUpstream
    WireMockServer upstream;

    @Inject
    ServiceState service;

    @BeforeEach
    void reset() {
        service.reset();
        upstream.resetAll();
        upstream.stubFor(get(urlEqualTo("/range/" + PREFIX)).willReturn(aResponse().withStatus(200).withBody(UPSTREAM_BODY)));
    }

    private static ExtractableResponse<Response> range(String prefix, Map<String, String> headers) {
        return given().headers(headers).when().get("/range/" + prefix).then().extract();
    }

    @Test
    void anUnpaddedAnswerIsTheRangeSortedUppercaseWithoutPadding() {
        ExtractableResponse<Response> answer = range(PREFIX, Map.of());
        assertEquals(200, answer.statusCode());
        assertTrue(answer.contentType().startsWith("text/plain"));
        assertEquals(String.join("\r\n", EXPECTED), answer.asString());
        assertEquals("upstream", answer.header("X-Pwcheck-Source"));
    }

    @Test
    void aLowercasePrefixIsTheSameRange() {
        assertEquals(String.join("\r\n", EXPECTED), range(PREFIX.toLowerCase(), Map.of()).asString());
        upstream.verify(1, getRequestedFor(urlEqualTo("/range/" + PREFIX)));
    }

    @Test
    void aPaddedAnswerHidesTheRangeSizeAmongCountZeroLines() {
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String body = range(PREFIX, Map.of("Add-Padding", "true")).asString();
            List<String> lines = List.of(body.split("\r\n"));
            sizes.add(lines.size());
            assertTrue(lines.size() >= RangeText.PAD_MIN && lines.size() <= RangeText.PAD_MAX + 64, "lines: " + lines.size());
            assertTrue(lines.containsAll(EXPECTED), "every real line is there");
            List<String> sorted = new ArrayList<>(lines);
            sorted.sort(null);
            assertEquals(sorted, lines, "lines are sorted");
            lines.stream().filter(l -> !EXPECTED.contains(l)).forEach(l -> {
                assertTrue(l.matches("[0-9A-F]{35}:0"), l);
            });
        }
        assertTrue(sizes.stream().distinct().count() > 1, "sizes vary: " + sizes);
    }

    @Test
    void aClientSearchingTheRangeAgreesWithTheCheckEndpoint() {
        String hash = sha1("agree-with-check");
        upstream.stubFor(get(urlEqualTo("/range/" + prefix(hash))).willReturn(aResponse().withStatus(200)
                .withBody("0000000000000000000000000000000000A:12\r\n" + suffix(hash) + ":31")));
        String body = range(prefix(hash), Map.of("Add-Padding", "true")).asString();
        long fromRange = body.lines().filter(l -> l.startsWith(suffix(hash) + ":")).mapToLong(l -> Long.parseLong(l.substring(36))).sum();

        given().contentType("application/json").body(Map.of("password", "agree-with-check")).when().post("/v1/passwords/check")
                .then().statusCode(200).body("count", equalTo((int) fromRange));
        assertEquals(31, fromRange);
    }

    @Test
    void theEtagAnswersNotModifiedAndCacheHeadersAreSet() {
        ExtractableResponse<Response> first = range(PREFIX, Map.of());
        String etag = first.header("ETag");
        assertTrue(etag != null && etag.startsWith("W/\""), "weak ETag: " + etag);
        assertTrue(first.header("Cache-Control").contains("max-age=86400"));

        ExtractableResponse<Response> again = range(PREFIX, Map.of("If-None-Match", etag, "Add-Padding", "true"));
        assertEquals(304, again.statusCode());
        assertEquals("", again.asString());
        assertEquals(200, range(PREFIX, Map.of("If-None-Match", "W/\"something-else\"")).statusCode());
        upstream.verify(1, getRequestedFor(urlEqualTo("/range/" + PREFIX)));
    }

    @Test
    void anInvalidPrefixIsABadRequest() {
        for (String bad : List.of("A1B2", "A1B2C3", "A1B2G", "%20A1B2")) {
            given().when().get("/range/" + bad).then().statusCode(400).contentType("application/problem+json");
        }
        upstream.verify(0, getRequestedFor(anyUrl()));
    }

    @Test
    void anUnknownModeIsABadRequest() {
        given().queryParam("mode", "md5").when().get("/range/" + PREFIX).then().statusCode(400).contentType("application/problem+json");
        given().queryParam("mode", "sha1").when().get("/range/" + PREFIX).then().statusCode(200);
        upstream.verify(1, getRequestedFor(urlEqualTo("/range/" + PREFIX)));
    }

    @Test
    void ntlmRangesAreFetchedWithModeNtlmAndCachedApartFromSha1() {
        upstream.stubFor(get(urlEqualTo("/range/" + PREFIX + "?mode=ntlm")).willReturn(aResponse().withStatus(200)
                .withBody("FFFFFFFFFFFFFFFFFFFFFFFFFFF:2\r\n0000000000000000000000000A1:0\r\n0000000000000000000000000b2:40")));

        String ntlm = given().queryParam("mode", "ntlm").when().get("/range/" + PREFIX).then().statusCode(200).extract().asString();
        assertEquals("0000000000000000000000000B2:40\r\nFFFFFFFFFFFFFFFFFFFFFFFFFFF:2", ntlm);
        assertEquals(String.join("\r\n", EXPECTED), range(PREFIX, Map.of()).asString());
        given().queryParam("mode", "NTLM").when().get("/range/" + PREFIX).then().statusCode(200).header("X-Pwcheck-Source", "cache");

        String padded = given().queryParam("mode", "ntlm").header("Add-Padding", "true").when().get("/range/" + PREFIX).asString();
        assertTrue(padded.lines().allMatch(l -> l.matches("[0-9A-F]{27}:[0-9]+")), "27-digit suffixes throughout");
        assertTrue(padded.lines().count() >= RangeText.PAD_MIN);

        upstream.verify(1, getRequestedFor(urlEqualTo("/range/" + PREFIX + "?mode=ntlm")));
        upstream.verify(1, getRequestedFor(urlEqualTo("/range/" + PREFIX)));
    }

    @Test
    void aFailingUpstreamWithNothingCachedIsServiceUnavailable() {
        upstream.stubFor(get(urlEqualTo("/range/BAD00")).willReturn(aResponse().withStatus(500)));
        given().when().get("/range/BAD00").then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .header("X-Pwcheck-Source", "none")
                .body("detail", containsString("no usable answer from the upstream"));
    }

    @Test
    void anUnusableUpstreamAnswerIsNotCalledUnreachable() {
        upstream.stubFor(get(urlEqualTo("/range/BAD01")).willReturn(aResponse().withStatus(200).withBody("<html>maintenance</html>")));
        given().when().get("/range/BAD01").then().statusCode(503)
                .body("detail", containsString("no usable answer from the upstream"))
                .body("detail", not(containsString("cannot be reached")));
    }

    @Test
    void anUpstreamThatCannotBeReachedIsSaidSo() {
        upstream.stubFor(get(urlEqualTo("/range/BAD02")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        given().when().get("/range/BAD02").then().statusCode(503)
                .body("detail", containsString("cannot be reached"));
    }
}
