package dev.pwcheck.mirror.service;

import dev.pwcheck.mirror.store.FilterStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static dev.pwcheck.mirror.corpus.TopStoreTest.mirrorConfig;
import static dev.pwcheck.support.Hashes.sha1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In mirror mode a filter's hit is the whole answer, with its build threshold as the count: a flow whose threshold is
 * higher cannot be answered from it, so the service refuses to start, naming the flow. With an upstream behind it,
 * the same filter is fine (its hits go to the upstream). In either mode a filter lacks every hash seen fewer times than
 * its build threshold and calls it clean: a flow with a lower threshold is refused too.
 */
class FilterThresholdTest {

    @TempDir
    Path dir;

    @Test
    void mirrorModeRefusesToStartWithAFilterBelowAFlowsThreshold() throws IOException {
        FilterStores.write(Map.of(sha1("P@ssw0rd"), 40), dir.resolve("mirror"), 10);
        Map<String, Integer> thresholds = new java.util.LinkedHashMap<>();
        thresholds.put("pwcheck.min-count", 10);
        thresholds.put("pwcheck.flows.login.min-count", 100);

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> quietly(() ->
                new Mirror(() -> SourceConfig.RangeSourceMode.MIRROR, mirrorConfig(dir.resolve("mirror")), thresholds, new SimpleMeterRegistry())));

        assertTrue(refused.getMessage().contains("pwcheck.flows.login.min-count=100"), refused.getMessage());
        assertTrue(refused.getMessage().contains("--min-count 10"), refused.getMessage());
    }

    @Test
    void aFilterAtOrAboveEveryThresholdServes() throws IOException {
        FilterStores.write(Map.of(sha1("P@ssw0rd"), 40), dir.resolve("mirror"), 10);
        Mirror mirror = new Mirror(() -> SourceConfig.RangeSourceMode.MIRROR, mirrorConfig(dir.resolve("mirror")),
                Map.of("pwcheck.min-count", 10), new SimpleMeterRegistry());
        assertEquals(10, mirror.count(dev.pwcheck.hash.PasswordHasher.hash("P@ssw0rd")));
    }

    @Test
    void withAnUpstreamBehindItAnyThresholdFromTheFiltersUpIsFine() throws IOException {
        FilterStores.write(Map.of(sha1("P@ssw0rd"), 40), dir.resolve("mirror"), 10);
        Mirror mirror = new Mirror(() -> SourceConfig.RangeSourceMode.MIRROR_THEN_UPSTREAM, mirrorConfig(dir.resolve("mirror")),
                Map.of("pwcheck.min-count", 10, "pwcheck.flows.login.min-count", 100), new SimpleMeterRegistry());
        assertNotNull(mirror.store(dev.pwcheck.format.HashMode.SHA1));
        assertEquals(-1, mirror.count(dev.pwcheck.hash.PasswordHasher.hash("P@ssw0rd")), "a hit goes to the upstream");
        assertEquals(0, mirror.count(dev.pwcheck.hash.PasswordHasher.hash("not in the corpus")), "a miss is clean");
    }

    @Test
    void eitherModeRefusesAFilterThatLacksWhatAFlowActsOn() throws IOException {
        // Built from hashes seen at least 10 times: one seen 5 times is not in it, and its miss says clean.
        FilterStores.write(Map.of(sha1("P@ssw0rd"), 40), dir.resolve("mirror"), 10);
        Map<String, Integer> thresholds = Map.of("pwcheck.flows.registration.min-count", 1);
        for (SourceConfig.RangeSourceMode mode : new SourceConfig.RangeSourceMode[] { SourceConfig.RangeSourceMode.MIRROR,
                SourceConfig.RangeSourceMode.MIRROR_THEN_UPSTREAM }) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> quietly(() ->
                    new Mirror(() -> mode, mirrorConfig(dir.resolve("mirror")), thresholds, new SimpleMeterRegistry())));

            assertTrue(refused.getMessage().contains("--min-count 10, above pwcheck.flows.registration.min-count=1"), refused.getMessage());
        }
    }

    /** The refusal is logged at ERROR on purpose; kept off the console so that a passing run reads as passing. */
    private static <T> T quietly(java.util.function.Supplier<T> work) {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(WatchedStore.class.getName());
        java.util.logging.Level level = log.getLevel();
        log.setLevel(java.util.logging.Level.OFF);
        try {
            return work.get();
        } finally {
            log.setLevel(level);
        }
    }
}
