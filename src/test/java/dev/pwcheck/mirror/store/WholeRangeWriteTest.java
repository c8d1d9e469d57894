package dev.pwcheck.mirror.store;

import dev.pwcheck.hash.Hex;
import dev.pwcheck.format.CompactRange;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.format.RangeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void aWholeNtlmRangeWritesTheSameFullStoreAsItsHashesOneByOne() throws IOException {
        // 27-digit suffixes: a key of 14 bytes, whose copy is not whole 8-byte words.
        Random random = new Random(7);
        TreeMap<String, Integer> range = new TreeMap<>();
        for (int i = 0; i < 300; i++) {
            range.put(String.format("%027X", new java.math.BigInteger(108, random)),
                    random.nextInt(10) == 0 ? StoreFormat.MAX_INLINE_COUNT + random.nextInt(100_000) : 1 + random.nextInt(50));
        }
        Path expected;
        try (StoreWriter writer = new StoreWriter(dir.resolve("ntlm-by-hash.pwstore"), HashMode.NTLM, StoreFormat.Kind.FULL, false)) {
            writer.beginRange(9);
            range.forEach((suffix, count) -> writer.add(Hex.packSuffix(suffix, 0, 27), 0, count));
            expected = writer.commit();
        }
        StringBuilder text = new StringBuilder();
        range.forEach((suffix, count) -> text.append(suffix).append(':').append(count).append("\r\n"));
        Path actual;
        try (StoreWriter writer = new StoreWriter(dir.resolve("ntlm-by-range.pwstore"), HashMode.NTLM, StoreFormat.Kind.FULL, false)) {
            writer.beginRange(9);
            writer.addRange(new RangeParser(HashMode.NTLM, 1 << 20, 10_000).parse(text.toString().getBytes(StandardCharsets.US_ASCII)));
            actual = writer.commit();
        }
        assertSameStore(expected, actual);
        MirrorStore store = MirrorStore.open(actual, true);
        range.forEach((suffix, count) -> assertEquals(count, store.count(9, Hex.packSuffix(suffix, 0, 27))));
    }

    @Test
    void anOverflowTableOfMoreThanAMegabyteReadsBackEveryLargeCount() throws IOException {
        // 150,000 large counts: 1.2 MB of table, written in more than one piece (as is the 4 MB index).
        Path file;
        try (StoreWriter writer = new StoreWriter(dir.resolve("large.pwstore"), HashMode.SHA1)) {
            for (int prefix = 0; prefix < 150; prefix++) {
                writer.beginRange(prefix);
                for (int i = 0; i < 1_000; i++) {
                    writer.add(Hex.packSuffix(String.format("%035X", i), 0), 0, StoreFormat.MAX_INLINE_COUNT + 1 + prefix * 1_000 + i);
                }
            }
            file = writer.commit();
        }
        MirrorStore store = MirrorStore.open(file, true);
        for (int prefix = 0; prefix < 150; prefix++) {
            for (int i = 0; i < 1_000; i += 37) {
                assertEquals(StoreFormat.MAX_INLINE_COUNT + 1 + prefix * 1_000 + i, store.count(prefix, Hex.packSuffix(String.format("%035X", i), 0)));
            }
        }
        assertEquals(StoreFormat.MAX_INLINE_COUNT + 1 + 149_999, store.count(149, Hex.packSuffix(String.format("%035X", 999), 0)));
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
    void aPartialStoreTakenBackAndFinishedIsTheStoreWrittenInOneGo() throws IOException {
        for (StoreFormat.Kind kind : new StoreFormat.Kind[] {StoreFormat.Kind.FULL, StoreFormat.Kind.COMPACT}) {
            Path expected = byHash(kind, kind.wire() + "-whole.pwstore");
            Path target = dir.resolve(kind.wire() + "-resumed.pwstore");
            Path partial = dir.resolve("." + kind.wire() + ".partial");
            List<Integer> prefixes = new ArrayList<>(corpus().keySet());
            List<StoreWriter.WrittenRange> written = new ArrayList<>();
            // A first run writes the first ranges (overflow counts and merged compact keys among them) and stops.
            try (ResumableStoreWriter first = new ResumableStoreWriter(target, HashMode.SHA1, kind, partial)) {
                first.continueAfterTakenBack();
                for (int prefix : prefixes.subList(0, prefixes.size() - 1)) {
                    first.beginRange(prefix);
                    written.add(first.addRange(parsed(corpus().get(prefix))));
                }
            }
            // The next run takes them back as the first wrote them, and writes the rest.
            try (ResumableStoreWriter resumed = new ResumableStoreWriter(target, HashMode.SHA1, kind, partial)) {
                for (int i = 0; i < written.size(); i++) {
                    assertTrue(resumed.takeBack(prefixes.get(i), written.get(i)), kind + " range " + prefixes.get(i));
                }
                resumed.continueAfterTakenBack();
                int last = prefixes.get(prefixes.size() - 1);
                resumed.beginRange(last);
                resumed.addRange(parsed(corpus().get(last)));
                resumed.commit();
            }

            assertSameStore(expected, target);
            assertFalse(Files.exists(partial), "the partial store became the store");
        }
    }

    @Test
    void aRangeIsNotTakenBackWhenItsBytesAreNotAsWritten() throws IOException {
        Path target = dir.resolve("damaged.pwstore");
        Path partial = dir.resolve(".damaged.partial");
        StoreWriter.WrittenRange written;
        try (ResumableStoreWriter first = new ResumableStoreWriter(target, HashMode.SHA1, StoreFormat.Kind.FULL, partial)) {
            first.continueAfterTakenBack();
            first.beginRange(0);
            written = first.addRange(parsed(corpus().get(0)));
        }
        try (java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(partial, java.nio.file.StandardOpenOption.WRITE)) {
            file.write(java.nio.ByteBuffer.wrap(new byte[] {0x5A}), StoreFormat.RECORDS_AT + 100);
        }
        try (ResumableStoreWriter resumed = new ResumableStoreWriter(target, HashMode.SHA1, StoreFormat.Kind.FULL, partial)) {
            assertFalse(resumed.takeBack(0, written), "one byte changed");
            assertFalse(resumed.takeBack(0, new StoreWriter.WrittenRange(written.records() + 1, written.width(), written.crc(), written.overflow())),
                    "more records than the file holds");
            assertFalse(resumed.takeBack(0, new StoreWriter.WrittenRange(written.records(), written.width() + 1, written.crc(), written.overflow())),
                    "records of another width");
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
