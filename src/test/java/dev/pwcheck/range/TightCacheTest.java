package dev.pwcheck.range;

import dev.pwcheck.support.Metrics;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.AdjustableTicker;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.ServiceState;
import dev.pwcheck.support.InjectFakeUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static dev.pwcheck.support.Checks.checkSha1;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cache configured small and with a negative TTL: the byte bound holds and a failure is remembered briefly. */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
@TestProfile(TightCacheTest.Tight.class)
class TightCacheTest {

    static final long MAX_BYTES = 12_000;

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pwcheck.cache.max-bytes", String.valueOf(MAX_BYTES), "pwcheck.cache.negative-ttl", "10s");
        }
    }

    @InjectFakeUpstream
    WireMockServer upstream;

    @Inject
    RangeCache cache;

    @Inject
    ServiceState service;

    @Inject
    AdjustableTicker ticker;

    @BeforeEach
    void reset() {
        upstream.resetAll();
        service.reset();
    }

    /** A range of 100 hashes: about 2.3 KB in the cache, so only a few fit in 12,000 bytes. */
    private static String hundredLines() {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            lines.add(String.format("%035X:%d", i, i));
        }
        return String.join("\r\n", lines);
    }

    @Test
    void cachedBytesStayWithinTheBoundAndEvictedRangesAreFetchedAgain() {
        upstream.stubFor(get(urlMatching("/range/[0-9A-F]{5}")).willReturn(aResponse().withStatus(200).withBody(hundredLines())));
        for (int p = 0; p < 10; p++) {
            checkSha1(String.format("A%04X%035X", p, 7)).body("verdict", equalTo("breached")).body("count", equalTo(7));
            assertTrue(cache.weightedBytes() <= MAX_BYTES, "cache holds " + cache.weightedBytes() + " bytes");
        }
        for (int p = 0; p < 10; p++) {
            checkSha1(String.format("A%04X%035X", p, 7)).body("count", equalTo(7));
        }
        // At most five ranges fit, so checking all ten again must have gone upstream at least five more times.
        assertTrue(upstream.findAll(getRequestedFor(urlMatching("/range/.*"))).size() >= 15, "evicted ranges were fetched again");
        Metrics.assertCounted("pwcheck_cache_evictions_total");
    }

    @Test
    void aFailureIsRememberedForTheNegativeTtlOnly() {
        String hash = "BADBAD000000000000000000000000000000000A".substring(0, 40);
        upstream.stubFor(get(urlEqualTo("/range/BADBA")).willReturn(aResponse().withStatus(500)));
        checkSha1(hash).body("verdict", equalTo("unknown"));
        checkSha1(hash).body("verdict", equalTo("unknown"));
        upstream.verify(1, getRequestedFor(urlEqualTo("/range/BADBA")));

        upstream.stubFor(get(urlEqualTo("/range/BADBA")).willReturn(aResponse().withStatus(200).withBody(hash.substring(5) + ":4")));
        ticker.advance(Duration.ofSeconds(11));
        checkSha1(hash).body("verdict", equalTo("breached")).body("count", equalTo(4));
        upstream.verify(2, getRequestedFor(urlEqualTo("/range/BADBA")));
    }
}
