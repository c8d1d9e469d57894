package dev.pwcheck.range;

import dev.pwcheck.range.Source;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.check.CheckResource;
import dev.pwcheck.support.AdjustableTicker;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.ServiceState;
import dev.pwcheck.support.InjectFakeUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.pwcheck.support.Management.management;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.pwcheck.support.Checks.checkSha1;
import static dev.pwcheck.support.Hashes.line;
import static dev.pwcheck.support.Hashes.rangeBody;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cache as checks see it: single flight, TTL, stale-if-error. Time moves by {@link AdjustableTicker}, not sleeps. */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class RangeCacheTest {

    static final String PREFIX = "C0FFE";
    static final String SUFFIX = "E0000000000000000000000000000000001";
    static final String HASH = PREFIX + SUFFIX;
    static final String PATH = "/range/" + PREFIX;

    @InjectFakeUpstream
    WireMockServer upstream;

    @Inject
    ServiceState service;

    @Inject
    AdjustableTicker ticker;

    @TestHTTPResource("/v1/passwords/check")
    URI checkUri;

    @BeforeEach
    void reset() {
        upstream.resetAll();
        service.reset();
    }

    private void serveHealthy(int count) {
        upstream.stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody(rangeBody(line(SUFFIX, count)))));
    }

    /** A 500: not transient, so not retried, and every check costs exactly one upstream request. */
    private void serveOutage() {
        upstream.stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withStatus(500)));
    }

    @Test
    void concurrentChecksInOneColdPrefixShareOneUpstreamRequest() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 100; i += 2) {
            lines.add(line(String.format("%035X", i), i + 1));
        }
        upstream.stubFor(get(urlEqualTo(PATH))
                .willReturn(aResponse().withStatus(200).withFixedDelay(200).withBody(rangeBody(lines.toArray(String[]::new)))));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            HttpRequest request = HttpRequest.newBuilder(checkUri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"sha1\":\"" + PREFIX + String.format("%035X", i) + "\"}")).build();
            answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }

        for (int i = 0; i < 100; i++) {
            HttpResponse<String> answer = answers.get(i).join();
            assertEquals(200, answer.statusCode());
            String expected = i % 2 == 0 ? "{\"verdict\":\"breached\",\"count\":" + (i + 1) + "}" : "{\"verdict\":\"clean\",\"count\":0}";
            assertEquals(expected, answer.body(), "check " + i);
        }
        upstream.verify(1, getRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void aRangeIsServedFromTheCacheUntilItsTtlThenFetchedAgain() {
        serveHealthy(3);
        checkSha1(HASH).header(Source.HEADER, "upstream");
        ticker.advance(Duration.ofHours(23));
        checkSha1(HASH).header(Source.HEADER, "cache").body("count", equalTo(3));
        upstream.verify(1, getRequestedFor(urlEqualTo(PATH)));

        serveHealthy(4);
        ticker.advance(Duration.ofHours(2));
        checkSha1(HASH).header(Source.HEADER, "upstream").body("count", equalTo(4));
        checkSha1(HASH).header(Source.HEADER, "cache").body("count", equalTo(4));
        upstream.verify(2, getRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void anExpiredRangeIsServedStaleWhileUpstreamFailsAndRetriedAfterTheBackOff() {
        serveHealthy(3);
        checkSha1(HASH).header(Source.HEADER, "upstream");
        ticker.advance(Duration.ofHours(25));
        serveOutage();

        checkSha1(HASH).header(Source.HEADER, "stale").body("verdict", equalTo("breached")).body("count", equalTo(3));
        // Within the back-off the stale range answers without asking upstream again.
        checkSha1(HASH).header(Source.HEADER, "stale");
        upstream.verify(2, getRequestedFor(urlEqualTo(PATH)));

        ticker.advance(Duration.ofSeconds(31));
        serveHealthy(5);
        checkSha1(HASH).header(Source.HEADER, "upstream").body("count", equalTo(5));
        checkSha1(HASH).header(Source.HEADER, "cache");
        upstream.verify(3, getRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void aStaleRangeIsNotServedPastMaxStale() {
        serveHealthy(3);
        checkSha1(HASH).header(Source.HEADER, "upstream");
        ticker.advance(Duration.ofDays(9));
        serveOutage();
        checkSha1(HASH).header(Source.HEADER, "none").body("verdict", equalTo("unknown"));
    }

    @Test
    void aFailureIsNotCachedByDefault() {
        serveOutage();
        checkSha1(HASH).body("verdict", equalTo("unknown"));
        checkSha1(HASH).body("verdict", equalTo("unknown"));
        upstream.verify(2, getRequestedFor(urlEqualTo(PATH)));
        serveHealthy(2);
        checkSha1(HASH).body("verdict", equalTo("breached"));
    }

    @Test
    void cacheMetricsCountHitsMissesAndBytes() {
        serveHealthy(3);
        checkSha1(HASH);
        checkSha1(HASH);
        String metrics = management().when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("pwcheck_cache_hits_total", "pwcheck_cache_misses_total", "pwcheck_cache_entries",
                "pwcheck_cache_bytes", "pwcheck_cache_evictions_total", "pwcheck_cache_load_seconds_count",
                "pwcheck_checks_total{flow=\"none\",verdict=\"breached\"", "pwcheck_upstream_requests_seconds_count{outcome=\"success\"")) {
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith(name)), () -> name + " in " + metrics.lines().filter(l -> l.contains("pwcheck_cache")).toList());
        }
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("pwcheck_cache_entries") && l.endsWith(" 1.0")), () -> "one range cached: " + metrics.lines().filter(l -> l.startsWith("pwcheck_cache_entries")).toList());
    }
}
