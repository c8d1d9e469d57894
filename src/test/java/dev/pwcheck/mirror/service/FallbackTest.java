package dev.pwcheck.mirror.service;

import dev.pwcheck.mirror.corpus.CorpusImport;
import dev.pwcheck.mirror.corpus.TopHashes;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.MirrorStoreTest;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.upstream.RangeClient;
import dev.pwcheck.support.Corpus;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import dev.pwcheck.support.Metrics;
import dev.pwcheck.support.ServiceState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static dev.pwcheck.support.Checks.checkInFlow;
import static dev.pwcheck.support.Checks.checkPassword;
import static dev.pwcheck.support.Hashes.prefix;
import static dev.pwcheck.support.Hashes.sha1;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The top-N fallback store while the upstream cannot answer: a top hash is breached (source fallback) at once, a
 * rare one stays unknown, never clean, and nothing is asked upstream while the breaker is open.
 */
@QuarkusTest
@TestProfile(FallbackTest.WithFallback.class)
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class FallbackTest {

    static final Path DIR = Path.of("target", "test-fallback").toAbsolutePath();
    static final String TOP = "123456";
    static final String RARE = "a rare password, in the corpus but far from the top";

    public static class WithFallback implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pwcheck.fallback.dir", DIR.toString(),
                    "pwcheck.upstream.circuit-breaker.request-volume-threshold", "4",
                    "pwcheck.upstream.circuit-breaker.failure-ratio", "0.5",
                    // Stays open for the whole test, whatever the machine's speed.
                    "pwcheck.upstream.circuit-breaker.delay", "10m");
        }
    }

    @InjectFakeUpstream
    WireMockServer upstream;

    @Inject
    Fallback fallback;

    @Inject
    RangeClient client;

    @Inject
    ServiceState service;

    @BeforeEach
    void topStoreAndAFailingUpstream() throws IOException {
        service.reset();
        upstream.resetAll();
        upstream.stubFor(get(urlMatching("/range/.*")).willReturn(aResponse().withStatus(503)));
        Corpus corpus = Corpus.random(5, 40, List.of(prefix(sha1(TOP)), prefix(sha1(RARE))), 300)
                .put(sha1(TOP), 40_000_000).put(sha1(RARE), 2);
        Path full = Files.createTempDirectory("full");
        MirrorStore store = MirrorStore.open(new CorpusImport(HashMode.SHA1, true, MirrorStoreTest.quiet())
                .run(corpus.writeRangeFiles(Files.createTempDirectory("ranges")), full.resolve("sha1.pwstore")), true);
        new TopHashes(store, MirrorStoreTest.quiet()).write(100, DIR.resolve("sha1.pwstore"));
        fallback.reload();
    }

    @Test
    void aTopHashIsBreachedFromTheFallbackWhenTheUpstreamFails() {
        checkPassword(TOP).header("X-Pwcheck-Source", "fallback").body("verdict", equalTo("breached")).body("count", equalTo(40_000_000));
        Metrics.assertCounted("pwcheck_fallback_answers_total");
    }

    @Test
    void theStoreInServiceIsDescribedInMetrics() {
        String metrics = Metrics.scrape();
        assertTrue(metrics.contains("pwcheck_fallback_hashes{mode=\"sha1\"} 100.0"), metrics);
        double built = metrics.lines().filter(l -> l.startsWith("pwcheck_fallback_store_created_seconds{mode=\"sha1\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
        assertTrue(Math.abs(built - System.currentTimeMillis() / 1000.0) < 3600, "built just now: " + built);
        Metrics.assertCounted("pwcheck_fallback_loads_total{mode=\"sha1\",outcome=\"loaded\"}");
    }

    @Test
    void aHashTheFallbackDoesNotHoldStaysUnknownNeverClean() {
        checkPassword(RARE).header("X-Pwcheck-Source", "none").body("verdict", equalTo("unknown")).body("count", equalTo(0));
    }

    @Test
    void withTheBreakerOpenTopHashesAnswerAtOnceAndNothingIsAskedUpstream() {
        for (int i = 0; i < 4; i++) {
            checkPassword("opens the breaker " + i).body("verdict", equalTo("unknown"));
        }
        assertEquals(CircuitBreakerState.OPEN, client.breakerState());
        int before = upstream.findAll(getRequestedFor(urlMatching("/range/.*"))).size();

        // "At once": far below the 2 s deadline a waiting check would take, and a hundred times the work.
        checkPassword(TOP).time(lessThan(500L), TimeUnit.MILLISECONDS)
                .header("X-Pwcheck-Source", "fallback").body("verdict", equalTo("breached"));
        checkPassword(RARE).time(lessThan(500L), TimeUnit.MILLISECONDS)
                .header("X-Pwcheck-Source", "none").body("verdict", equalTo("unknown"));
        assertEquals(before, upstream.findAll(getRequestedFor(urlMatching("/range/.*"))).size(), "nothing asked upstream");
    }

    @Test
    void perFlowPolicyAppliesToFallbackAnswers() {
        checkInFlow(TOP, "registration").header("X-Pwcheck-Source", "fallback").body("action", equalTo("reject"));
        checkInFlow(RARE, "login").header("X-Pwcheck-Source", "none").body("verdict", equalTo("unknown")).body("action", equalTo("allow"));
    }
}
