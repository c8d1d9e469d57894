package dev.pwcheck.mirror.store;

import dev.pwcheck.mirror.cli.MirrorCommandLineTest;
import dev.pwcheck.hash.Hex;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A downloader file of 8.4 million hashes (8 in every one of the 1,048,576 ranges) imported with
 * {@code --format filter}: at most 2.6 bytes a hash on disk, every corpus hash found, at most 8 false positives in
 * 60,000 absent hashes (2^-16 predicts about 1), and a file that is checked like the other kinds when opened. The
 * file is written in the layout HIBP's downloader writes (a byte order mark before each range's block, LF lines,
 * {@code PREFIXSUFFIX:COUNT}; see {@code DownloaderFiles}), streamed, since the corpus is regenerated from its seed
 * rather than held.
 */
class FilterStoreTest {

    static final int PER_RANGE = 8;
    static final long HASHES = (long) PER_RANGE * StoreFormat.PREFIXES;
    static Path dir;
    static Path store;
    static MirrorCommandLineTest.Run imported;

    /** The suffixes of range {@code prefix}, sorted, from its own seed. */
    static String[] suffixes(int prefix) {
        SplittableRandom random = new SplittableRandom(0x5eedL * 1_000_003 + prefix);
        String[] suffixes = new String[PER_RANGE];
        for (int i = 0; i < PER_RANGE; i++) {
            // 35 hex digits; none of them all Fs, which the absent hashes below use.
            suffixes[i] = String.format("%09X%013X%013X", random.nextLong(1L << 36), random.nextLong(1L << 52), random.nextLong(1L << 52) - 1);
        }
        Arrays.sort(suffixes);
        return suffixes;
    }

    @BeforeAll
    static void importEightMillionHashes() throws IOException {
        dir = Files.createTempDirectory("pwcheck-filter");
        Path input = dir.resolve("pwnedpasswords.txt");
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(input), 1 << 20)) {
            for (int p = 0; p < StoreFormat.PREFIXES; p++) {
                out.write(bom);
                String prefix = String.format("%05X", p);
                for (String suffix : suffixes(p)) {
                    out.write((prefix + suffix + ":" + (1 + (p & 7)) + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
        imported = MirrorCommandLineTest.run("import", "--dir", dir.resolve("store").toString(), "--from", input.toString(), "--format", "filter");
        Files.delete(input);
        store = dir.resolve("store").resolve("sha1.pwstore");
    }

    @AfterAll
    static void clean() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Test
    void theFilterTakesAtMostTwoPointSixBytesAHash() throws IOException {
        assertEquals(0, imported.status(), imported.err());
        double perHash = (double) Files.size(store) / HASHES;
        System.out.printf("filter of %,d hashes: %,d bytes, %.3f bytes a hash%n", HASHES, Files.size(store), perHash);
        assertTrue(perHash <= 2.6, "bytes a hash: " + perHash);
        MirrorStore filter = MirrorStore.open(store, true);
        assertEquals(StoreFormat.Kind.FILTER, filter.kind());
        assertEquals(HASHES, filter.hashes());
        try (Stream<Path> files = Files.list(dir.resolve("store"))) {
            assertEquals(java.util.List.of(store), files.toList(), "the compact store it was built from is gone");
        }
    }

    @Test
    void everyCorpusHashIsFound() {
        MirrorStore filter = MirrorStore.open(store, false);
        long missing = 0;
        for (int p = 0; p < StoreFormat.PREFIXES; p++) {
            for (String suffix : suffixes(p)) {
                if (filter.count(p, Hex.packSuffix(suffix, 0)) == 0) {
                    missing++;
                }
            }
        }
        assertEquals(0, missing, "a filter never loses a hash it was built from");
    }

    @Test
    void atMostEightFalsePositivesInSixtyThousandAbsentHashes() {
        MirrorStore filter = MirrorStore.open(store, false);
        SplittableRandom random = new SplittableRandom(99);
        int hits = 0;
        for (int i = 0; i < 60_000; i++) {
            int prefix = random.nextInt(StoreFormat.PREFIXES);
            // All Fs at the end: no corpus suffix ends so (see suffixes), so every one of these is absent.
            String suffix = String.format("%09X", random.nextLong(1L << 36)) + "F".repeat(26);
            if (filter.count(prefix, Hex.packSuffix(suffix, 0)) > 0) {
                hits++;
            }
        }
        System.out.printf("false positives in 60,000 absent hashes: %d%n", hits);
        assertTrue(hits <= 8, "false positives: " + hits);
    }

    @Test
    void aHitAnswersTheBuildThresholdAndNoRangeIsServed() {
        MirrorStore filter = MirrorStore.open(store, false);
        assertEquals(1, filter.minCount());
        assertEquals(1, filter.count(0, Hex.packSuffix(suffixes(0)[0], 0)));
        assertNull(filter.range(0), "a filter keeps no hashes to serve");
    }

    @Test
    void aCorruptedFilterIsRefusedWhenOpened() throws IOException {
        Path copy = dir.resolve("corrupt.pwstore");
        Files.copy(store, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(copy, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {0x55, 0x55}), Files.size(copy) / 2);
        }
        assertTrue(assertThrows(StoreException.class, () -> MirrorStore.open(copy, true)).getMessage().contains("fingerprints"));
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(copy, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(copy) - 2);
        }
        assertThrows(StoreException.class, () -> MirrorStore.open(copy, false));
    }
}
