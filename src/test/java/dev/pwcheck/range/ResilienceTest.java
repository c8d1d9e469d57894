package dev.pwcheck.range;

import dev.pwcheck.range.Source;
import dev.pwcheck.upstream.RangeClient;
import dev.pwcheck.support.Metrics;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.pwcheck.check.CheckResource;
import dev.pwcheck.support.AdjustableTicker;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.ServiceState;
import dev.pwcheck.support.InjectFakeUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.pwcheck.support.Management.management;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static dev.pwcheck.support.Checks.checkSha1;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault tolerance around the upstream, with timings shortened by a profile: deadline 1 s, attempts (and the wait
 * for a first byte) up to 3 s (so the deadline is what stops a slow upstream), a breaker that opens after 4 requests at 50% failures and
 * probes again after 1 s, and a bulkhead of 2 with a queue of 1.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
@TestProfile(ResilienceTest.ShortTimings.class)
class ResilienceTest {

    public static class ShortTimings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "pwcheck.deadline", "1s",
                    "pwcheck.upstream.timeout", "3s",
                    "pwcheck.upstream.read-timeout", "3000ms",
                    "pwcheck.upstream.first-byte-timeout", "3s",
                    "pwcheck.upstream.retry.retry-after-cap", "600ms",
                    "pwcheck.upstream.circuit-breaker.request-volume-threshold", "4",
                    "pwcheck.upstream.circuit-breaker.failure-ratio", "0.5",
                    "pwcheck.upstream.circuit-breaker.delay", "1s",
                    "pwcheck.upstream.bulkhead.limit", "2",
                    "pwcheck.upstream.bulkhead.queue", "1");
        }
    }

    static final String SUFFIX = "A0000000000000000000000000000000001";

    @InjectFakeUpstream
    WireMockServer upstream;

    @Inject
    RangeClient client;

    @Inject
    ServiceState service;

    @Inject
    AdjustableTicker ticker;

    @TestHTTPResource("/v1/passwords/check")
    URI checkUri;

    @BeforeEach
    void reset() {
        service.reset();
        upstream.resetAll();
    }

    private static String body(int count) {
        return SUFFIX + ":" + count;
    }

    /** The first answer for {@code prefix} is {@code first}; every later one is a healthy range. */
    private void failOnceThenServe(String prefix, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder first) {
        String path = "/range/" + prefix;
        upstream.stubFor(get(urlEqualTo(path)).inScenario(prefix).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(first).willSetStateTo("healed"));
        upstream.stubFor(get(urlEqualTo(path)).inScenario(prefix).whenScenarioStateIs("healed")
                .willReturn(aResponse().withStatus(200).withBody(body(6))));
    }

    @Test
    void a503IsRetriedAndTheRetryAnswers() {
        failOnceThenServe("AAA01", aResponse().withStatus(503));
        checkSha1("AAA01" + SUFFIX).header(Source.HEADER, "upstream").body("count", equalTo(6));
        upstream.verify(2, getRequestedFor(urlEqualTo("/range/AAA01")));
    }

    @Test
    void aConnectionResetIsRetried() {
        failOnceThenServe("AAA02", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        checkSha1("AAA02" + SUFFIX).header(Source.HEADER, "upstream").body("count", equalTo(6));
        upstream.verify(2, getRequestedFor(urlEqualTo("/range/AAA02")));
    }

    @Test
    void a500IsNotRetried() {
        failOnceThenServe("AAA03", aResponse().withStatus(500));
        checkSha1("AAA03" + SUFFIX).body("verdict", equalTo("unknown"));
        upstream.verify(1, getRequestedFor(urlEqualTo("/range/AAA03")));
    }

    @Test
    void aMalformedAnswerIsNotRetried() {
        failOnceThenServe("AAA04", aResponse().withStatus(200).withBody("<html>oops</html>"));
        checkSha1("AAA04" + SUFFIX).body("verdict", equalTo("unknown"));
        upstream.verify(1, getRequestedFor(urlEqualTo("/range/AAA04")));
    }

    @Test
    void a429RetryAfterWithinTheCapIsWaitedFor() {
        failOnceThenServe("AAA05", aResponse().withStatus(429).withHeader("Retry-After", "0"));
        checkSha1("AAA05" + SUFFIX).body("count", equalTo(6));
        upstream.verify(2, getRequestedFor(urlEqualTo("/range/AAA05")));
        // The wait itself (Retry-After taken as given) is BackoffTest's: whole seconds do not fit a 1 s deadline.
    }

    @Test
    void a429RetryAfterOverTheCapIsNotWaitedFor() {
        failOnceThenServe("AAA06", aResponse().withStatus(429).withHeader("Retry-After", "30"));
        checkSha1("AAA06" + SUFFIX).time(lessThan(500L), TimeUnit.MILLISECONDS).body("verdict", equalTo("unknown"));
        upstream.verify(1, getRequestedFor(urlEqualTo("/range/AAA06")));
    }

    @Test
    void aSlowUpstreamIsCutOffAtTheDeadlineAndItsLateAnswerStillFillsTheCache() {
        upstream.stubFor(get(urlEqualTo("/range/AAA07")).willReturn(aResponse().withStatus(200).withFixedDelay(1500).withBody(body(8))));

        // Source none shows the check stopped at the deadline instead of waiting for the answer; the time bound only
        // catches a hang, with room for a busy machine.
        checkSha1("AAA07" + SUFFIX).time(lessThan(10_000L), TimeUnit.MILLISECONDS)
                .header(Source.HEADER, "none").body("verdict", equalTo("unknown"));

        service.awaitNoFetches();
        checkSha1("AAA07" + SUFFIX).header(Source.HEADER, "cache").body("count", equalTo(8));
        upstream.verify(1, getRequestedFor(urlEqualTo("/range/AAA07")));
    }

    @Test
    void aSlowRefreshAnswersStaleAtTheDeadline() {
        upstream.stubFor(get(urlEqualTo("/range/AAA08")).willReturn(aResponse().withStatus(200).withBody(body(3))));
        checkSha1("AAA08" + SUFFIX).body("count", equalTo(3));
        ticker.advance(Duration.ofHours(25));
        upstream.stubFor(get(urlEqualTo("/range/AAA08")).willReturn(aResponse().withStatus(200).withFixedDelay(1500).withBody(body(4))));

        checkSha1("AAA08" + SUFFIX).time(lessThan(10_000L), TimeUnit.MILLISECONDS)
                .header(Source.HEADER, "stale").body("count", equalTo(3));
    }

    @Test
    void theBreakerOpensAfterFailuresAnswersAtOnceWithoutUpstreamAndClosesAfterRecovery() throws Exception {
        upstream.stubFor(get(urlMatching("/range/BB.*")).willReturn(aResponse().withStatus(500)));
        for (int i = 0; i < 4; i++) {
            checkSha1(String.format("BB%03X", i) + SUFFIX).body("verdict", equalTo("unknown"));
        }
        assertEquals(CircuitBreakerState.OPEN, client.breakerState());
        management().when().get("/q/health/group/upstream").then().statusCode(503).body("status", equalTo("DOWN"));
        management().when().get("/q/health/ready").then().statusCode(200);

        int before = upstream.findAll(getRequestedFor(urlMatching("/range/.*"))).size();
        // "At once": far below the 1 s deadline it would otherwise wait for, and a hundred times the work.
        checkSha1("BB100" + SUFFIX).time(lessThan(500L), TimeUnit.MILLISECONDS).header(Source.HEADER, "none");
        assertEquals(before, upstream.findAll(getRequestedFor(urlMatching("/range/.*"))).size(), "no upstream call while open");

        upstream.stubFor(get(urlMatching("/range/BB.*")).willReturn(aResponse().withStatus(200).withBody(body(5))));
        Thread.sleep(1100); // the breaker's own delay; it keeps real time
        checkSha1("BB101" + SUFFIX).header(Source.HEADER, "upstream").body("count", equalTo(5));
        assertEquals(CircuitBreakerState.CLOSED, client.breakerState());
        management().when().get("/q/health/group/upstream").then().statusCode(200).body("status", equalTo("UP"));
        Metrics.assertCounted("pwcheck_upstream_circuit_transitions_total{state=\"open\"");
        Metrics.assertCounted("pwcheck_upstream_failures_total{cause=\"circuit_open\"");
    }

    @Test
    void whileTheBreakerIsOpenACachedRangeAnswersStale() {
        upstream.stubFor(get(urlEqualTo("/range/CC000")).willReturn(aResponse().withStatus(200).withBody(body(9))));
        checkSha1("CC000" + SUFFIX).body("count", equalTo(9));
        upstream.stubFor(get(urlMatching("/range/CC.*")).willReturn(aResponse().withStatus(500)));
        for (int i = 1; i <= 4; i++) {
            checkSha1(String.format("CC%03X", i) + SUFFIX);
        }
        assertEquals(CircuitBreakerState.OPEN, client.breakerState());
        ticker.advance(Duration.ofHours(25));

        checkSha1("CC000" + SUFFIX).time(lessThan(500L), TimeUnit.MILLISECONDS)
                .header(Source.HEADER, "stale").body("verdict", equalTo("breached")).body("count", equalTo(9));
    }

    @Test
    void theBulkheadCapsConcurrentUpstreamRequests() {
        upstream.stubFor(get(urlMatching("/range/DD.*")).willReturn(aResponse().withStatus(200).withFixedDelay(600).withBody(body(2))));
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            HttpRequest request = HttpRequest.newBuilder(checkUri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"sha1\":\"" + String.format("DD%03X", i) + SUFFIX + "\"}")).build();
            answers.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        long unknown = answers.stream().map(CompletableFuture::join).peek(a -> assertEquals(200, a.statusCode()))
                .filter(a -> a.body().contains("unknown")).count();

        // Two in flight and one queued get through (the queued one within the deadline); the rest are refused at once.
        List<LoggedRequest> sent = upstream.findAll(getRequestedFor(urlMatching("/range/DD.*")));
        assertTrue(sent.size() <= 3, "at most limit + queue requests reached upstream: " + sent.size());
        assertTrue(unknown >= 3, "the others answered unknown: " + unknown);
        Metrics.assertCounted("pwcheck_upstream_failures_total{cause=\"bulkhead_full\"");
    }
}
