package dev.pwcheck.mirror.corpus;

import dev.pwcheck.mirror.service.Mirror;
import dev.pwcheck.mirror.service.MirrorConfig;
import dev.pwcheck.mirror.service.SourceConfig;
import dev.pwcheck.mirror.service.WatchedStore;
import dev.pwcheck.mirror.store.StoreException;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.hash.Hex;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.support.Corpus;
import dev.pwcheck.support.DownloaderFiles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.pwcheck.mirror.store.MirrorStoreTest.quiet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mirror top}: the N most-seen hashes as a store of their own, marked so it is never taken for the corpus. */
public class TopStoreTest {

    @TempDir
    Path dir;

    final Corpus corpus = Corpus.random(31, 40, List.of("00000", "12345", "5BAA6", "ABCDE", "FFFFF"), 800);

    private MirrorStore full() throws IOException {
        Path input = DownloaderFiles.singleFile(corpus, dir.resolve("in.txt"), "\n", true);
        return MirrorStore.open(new CorpusImport(HashMode.SHA1, true, quiet()).run(input, dir.resolve("full").resolve("sha1.pwstore")), true);
    }

    private static int count(MirrorStore store, String hash) {
        return store.count(Integer.parseInt(hash.substring(0, 5), 16), Hex.packSuffix(hash, 5));
    }

    @Test
    void theTopStoreHoldsExactlyTheHashesWithTheLargestCounts() throws IOException {
        MirrorStore top = MirrorStore.open(new TopHashes(full(), quiet()).write(100, dir.resolve("top").resolve("sha1.pwstore")), true);

        List<Map.Entry<String, Integer>> ranked = corpus.hashes().entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())).toList();
        int cut = ranked.get(99).getValue();
        assertEquals(100, top.hashes());
        assertTrue(top.subset());
        for (Map.Entry<String, Integer> entry : ranked) {
            int found = count(top, entry.getKey());
            if (entry.getValue() > cut) {
                assertEquals(entry.getValue(), found, "a hash above the cut is held with its count");
            } else if (entry.getValue() < cut) {
                assertEquals(0, found, "a hash below the cut is not held");
            }
        }
    }

    @Test
    void askingForMoreThanTheStoreHoldsTakesThemAll() throws IOException {
        MirrorStore top = MirrorStore.open(new TopHashes(full(), quiet()).write(1_000_000, dir.resolve("top").resolve("sha1.pwstore")), true);

        assertEquals(corpus.hashes().size(), top.hashes());
        corpus.hashes().forEach((hash, n) -> assertEquals(n, count(top, hash)));
    }

    @Test
    void theMirrorRefusesATopStoreItWouldCallBreachedPasswordsCleanWith() throws IOException {
        new TopHashes(full(), quiet()).write(50, dir.resolve("mirror").resolve("sha1.pwstore"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        // The refusal is logged at ERROR on purpose; kept off the console so that a passing run reads as passing.
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(WatchedStore.class.getName());
        java.util.logging.Level level = log.getLevel();
        log.setLevel(java.util.logging.Level.OFF);
        Mirror mirror;
        try {
            mirror = new Mirror(() -> SourceConfig.RangeSourceMode.MIRROR, mirrorConfig(dir.resolve("mirror")), registry);
        } finally {
            log.setLevel(level);
        }

        assertNull(mirror.store(HashMode.SHA1));
        assertEquals(1.0, registry.get("pwcheck.mirror.loads").tag("outcome", "rejected").counter().count());
    }

    @Test
    void aFailedTopLeavesNoTemporaryFileBehind() throws IOException {
        MirrorStore source = full();
        Path target = dir.resolve("top").resolve("sha1.pwstore");
        Files.createDirectories(target); // a directory where the store should go: the rename fails

        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(StoreException.class, () -> new TopHashes(source, quiet()).write(10, target))
                .getMessage().length() > 0);
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertEquals(List.of("sha1.pwstore"), files.map(f -> f.getFileName().toString()).toList());
        }
        assertFalse(Files.isRegularFile(target));
    }

    public static MirrorConfig mirrorConfig(Path dir) {
        return new MirrorConfig() {
            @Override
            public Optional<Path> dir() {
                return Optional.of(dir);
            }

            @Override
            public Duration reloadInterval() {
                return Duration.ofHours(1);
            }

            @Override
            public boolean verifyOnLoad() {
                return true;
            }
        };
    }
}
