package dev.pwcheck.mirror.store;

import dev.pwcheck.hash.Hex;
import dev.pwcheck.range.CompactRange;
import dev.pwcheck.range.HashMode;
import dev.pwcheck.range.RangeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A sync writes each range whole ({@link StoreWriter#addRange}) and a refresh copies unchanged ones from the old store
 * ({@link StoreWriter#copyRange}); both must give exactly the store that adding the same hashes one by one gives,
 * compact merges and overflow counts included.
 */
class WholeRangeWriteTest {

    @TempDir
    Path dir;

    /** Ranges of random suffixes, some counts past the inline limit, and in range 2 two hashes sharing their first 64 bits. */
    private static TreeMap<Integer, TreeMap<String, Integer>> corpus() {
        Random random = new Random(42);
        TreeMap<Integer, TreeMap<String, Integer>> ranges = new TreeMap<>();
        for (int prefix : new int[] {0, 2, 7, 0xFFFFF}) {
            TreeMap<String, Integer> range = new TreeMap<>();
            for (int i = 0; i < 300; i++) {
                String suffix = String.format("%035X", new java.math.BigInteger(140, random));
                range.put(suffix, random.nextInt(10) == 0 ? StoreFormat.MAX_INLINE_COUNT + random.nextInt(100_000) : 1 + random.nextInt(50));
            }
            ranges.put(prefix, range);
        }
        String shared = ranges.get(2).firstKey();
        // Three hashes with the same first 64 bits, the largest count first: a merge keeps it, whatever comes after.
        ranges.get(2).put(shared.substring(0, 11) + "0".repeat(23) + "1", 7_000);
        ranges.get(2).put(shared.substring(0, 11) + "F".repeat(24), 3);
        return ranges;
    }

    private static CompactRange parsed(TreeMap<String, Integer> range) {
        StringBuilder text = new StringBuilder();
        range.forEach((suffix, count) -> text.append(suffix).append(':').append(count).append("\r\n"));
        return new RangeParser(HashMode.SHA1, 1 << 20, 10_000).parse(text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private Path byHash(StoreFormat.Kind kind, String name) {
        try (StoreWriter writer = new StoreWriter(dir.resolve(name), HashMode.SHA1, kind, false)) {
            corpus().forEach((prefix, range) -> {
                writer.beginRange(prefix);
                range.forEach((suffix, count) -> writer.add(Hex.packSuffix(suffix, 0), 0, count));
            });
            return writer.commit();
        }
    }

    private Path byRange(StoreFormat.Kind kind, String name) {
        try (StoreWriter writer = new StoreWriter(dir.resolve(name), HashMode.SHA1, kind, false)) {
            corpus().forEach((prefix, range) -> {
                writer.beginRange(prefix);
                writer.addRange(parsed(range));
            });
            return writer.commit();
        }
    }

    private Path copied(MirrorStore source, String name) {
        try (StoreWriter writer = new StoreWriter(dir.resolve(name), HashMode.SHA1, source.kind(), false)) {
            for (int prefix : corpus().keySet()) {
                writer.beginRange(prefix);
                writer.copyRange(source, prefix);
            }
            return writer.commit();
        }
    }

    /** Everything but the header's created-at: the same bytes, so the same index, records, overflow table and checksums. */
    private static void assertSameStore(Path expected, Path actual) throws IOException {
        byte[] a = Files.readAllBytes(expected);
        byte[] b = Files.readAllBytes(actual);
        Arrays.fill(a, StoreFormat.H_CREATED, StoreFormat.H_CREATED + 8, (byte) 0);
        Arrays.fill(b, StoreFormat.H_CREATED, StoreFormat.H_CREATED + 8, (byte) 0);
        assertArrayEquals(a, b, actual + " differs from " + expected);
    }

    @Test
    void aWholeRangeWritesTheSameFullStoreAsItsHashesOneByOne() throws IOException {
        Path expected = byHash(StoreFormat.Kind.FULL, "by-hash.pwstore");
        assertSameStore(expected, byRange(StoreFormat.Kind.FULL, "by-range.pwstore"));
        MirrorStore store = MirrorStore.open(expected, true);
        corpus().forEach((prefix, range) -> range.forEach((suffix, count) ->
                assertEquals(count, store.count(prefix, Hex.packSuffix(suffix, 0)))));
    }

    @Test
    void aWholeRangeMergesCompactKeysAsTheHashesOneByOneDo() throws IOException {
        Path expected = byHash(StoreFormat.Kind.COMPACT, "by-hash.pwstore");
        assertSameStore(expected, byRange(StoreFormat.Kind.COMPACT, "by-range.pwstore"));
        MirrorStore store = MirrorStore.open(expected, true);
        String shared = corpus().get(2).firstKey();
        assertEquals(7_000, store.count(2, Hex.packSuffix(shared, 0)), "the larger count of the hashes sharing 64 bits");
    }

    @Test
    void aCopiedRangeIsTheSameAsTheOneItCameFrom() throws IOException {
        for (StoreFormat.Kind kind : new StoreFormat.Kind[] {StoreFormat.Kind.FULL, StoreFormat.Kind.COMPACT}) {
            Path original = byHash(kind, kind.wire() + ".pwstore");
            assertSameStore(original, copied(MirrorStore.open(original, true), kind.wire() + "-copy.pwstore"));
        }
    }

    @Test
    void nothingMayFollowAWholeRangeInItsRange() {
        try (StoreWriter writer = new StoreWriter(dir.resolve("mixed.pwstore"), HashMode.SHA1, StoreFormat.Kind.FULL, false)) {
            TreeMap<String, Integer> range = corpus().get(0);
            writer.beginRange(0);
            writer.addRange(parsed(range));
            assertThrows(StoreException.class, () -> writer.add(Hex.packSuffix("F".repeat(35), 0), 0, 1));
            assertThrows(StoreException.class, () -> writer.addRange(parsed(range)));
        }
    }

    @Test
    void aRangeIsCopiedOnlyFromAStoreOfTheSameKind() {
        MirrorStore full = MirrorStore.open(byHash(StoreFormat.Kind.FULL, "full.pwstore"), true);
        try (StoreWriter writer = new StoreWriter(dir.resolve("compact.pwstore"), HashMode.SHA1, StoreFormat.Kind.COMPACT, false)) {
            writer.beginRange(0);
            assertThrows(StoreException.class, () -> writer.copyRange(full, 0));
        }
    }
}
