package dev.pwcheck.format;

import dev.pwcheck.hash.Hex;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompactRangeTest {

    private static final RangeParser PARSER = new RangeParser(HashMode.SHA1, 2 * 1024 * 1024, 100_000);

    private static String randomSuffix(Random random) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Hex.SUFFIX_CHARS; i++) {
            s.append("0123456789ABCDEF".charAt(random.nextInt(16)));
        }
        return s.toString();
    }

    private static CompactRange parse(TreeMap<String, Integer> entries) {
        List<String> lines = new ArrayList<>();
        entries.forEach((suffix, count) -> lines.add(suffix + ":" + count));
        return PARSER.parse(String.join("\r\n", lines).getBytes(StandardCharsets.US_ASCII));
    }

    private static String suffixAt(CompactRange range, int i) {
        StringBuilder s = new StringBuilder();
        range.appendSuffix(i, s);
        return s.toString();
    }

    @Test
    void everyEdgeSuffixAndCountRoundTrips() {
        TreeMap<String, Integer> entries = new TreeMap<>();
        entries.put("00000000000000000000000000000000000", 1);
        entries.put("00000000000000000000000000000000001", Integer.MAX_VALUE);
        entries.put("0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0", 255);
        entries.put("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", 256);
        entries.put("80000000000000000000000000000000000", 65_536);
        entries.put("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFE", 16_777_216);
        entries.put("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", 3_861_493);

        CompactRange range = parse(entries);

        assertEquals(entries.size(), range.size());
        int i = 0;
        for (var entry : entries.entrySet()) {
            assertEquals(entry.getKey(), suffixAt(range, i), "suffix " + i);
            assertEquals(entry.getValue(), range.countAt(i), "count " + i);
            assertEquals(entry.getValue(), range.count(Hex.packSuffix(entry.getKey(), 0)));
            i++;
        }
        assertEquals(0, range.count(Hex.packSuffix("00000000000000000000000000000000002", 0)));
    }

    @Test
    void theStoredRecordsRoundTripThroughTheSharedTierForm() {
        TreeMap<String, Integer> entries = new TreeMap<>();
        Random random = new Random(7);
        for (int i = 0; i < 900; i++) {
            entries.put(randomSuffix(random), 1 + random.nextInt(1_000_000));
        }
        CompactRange range = parse(entries);
        CompactRange copy = CompactRange.fromRecords(HashMode.SHA1, range.records().clone());
        assertEquals(range.size(), copy.size());
        for (int i = 0; i < range.size(); i++) {
            assertEquals(suffixAt(range, i), suffixAt(copy, i));
            assertEquals(range.countAt(i), copy.countAt(i));
        }
    }

    @Test
    void everyStoredHashIsFoundAndNoOtherIs() {
        Random random = new Random(3);
        for (int size : new int[] { 1, 2, 9, 10, 100, 950, 5000 }) {
            TreeMap<String, Integer> entries = new TreeMap<>();
            while (entries.size() < size) {
                entries.put(randomSuffix(random), 1 + random.nextInt(1000));
            }
            CompactRange range = parse(entries);
            entries.forEach((suffix, count) -> assertEquals(count, range.count(Hex.packSuffix(suffix, 0)), suffix));
            for (int i = 0; i < 2000; i++) {
                String absent = randomSuffix(random);
                assertEquals(entries.getOrDefault(absent, 0), range.count(Hex.packSuffix(absent, 0)));
            }
            // Neighbours that differ only in the last nibble or past the first 8 bytes are told apart.
            String first = entries.firstKey();
            String nearby = first.substring(0, 34) + (first.charAt(34) == 'F' ? 'E' : 'F');
            assertEquals(entries.getOrDefault(nearby, 0), range.count(Hex.packSuffix(nearby, 0)));
        }
    }

    @Test
    void skewedRangesAreStillSearchedCorrectly() {
        // Not what SHA-1 produces, but an upstream is untrusted: clustered suffixes must not break the lookup.
        TreeMap<String, Integer> entries = new TreeMap<>();
        for (int i = 0; i < 500; i++) {
            entries.put(String.format("%035X", i), i + 1);
            entries.put("F" + String.format("%034X", i), i + 1);
        }
        CompactRange range = parse(entries);
        entries.forEach((suffix, count) -> assertEquals(count, range.count(Hex.packSuffix(suffix, 0)), suffix));
        assertEquals(0, range.count(Hex.packSuffix("8" + "0".repeat(34), 0)));
        assertEquals(0, range.count(Hex.packSuffix(String.format("%035X", 500), 0)));
    }

    @Test
    void corruptSharedTierRecordsAreRefused() {
        CompactRange range = parse(new TreeMap<>(java.util.Map.of("00000000000000000000000000000000001", 5, "00000000000000000000000000000000002", 6)));
        byte[] records = range.records();
        assertThrows(IllegalArgumentException.class, () -> CompactRange.fromRecords(HashMode.SHA1, java.util.Arrays.copyOf(records, records.length - 1)));
        byte[] swapped = new byte[records.length];
        System.arraycopy(records, CompactRange.entryBytes(HashMode.SHA1), swapped, 0, CompactRange.entryBytes(HashMode.SHA1));
        System.arraycopy(records, 0, swapped, CompactRange.entryBytes(HashMode.SHA1), CompactRange.entryBytes(HashMode.SHA1));
        assertThrows(IllegalArgumentException.class, () -> CompactRange.fromRecords(HashMode.SHA1, swapped));
        byte[] zeroCount = records.clone();
        CompactRange.writeCount(zeroCount, Hex.SUFFIX_BYTES, 0);
        assertThrows(IllegalArgumentException.class, () -> CompactRange.fromRecords(HashMode.SHA1, zeroCount));
    }

    @Test
    void aTypicalRangeCostsAtMost24HeapBytesAHash() {
        TreeMap<String, Integer> entries = new TreeMap<>();
        Random random = new Random(11);
        while (entries.size() < 800) {
            entries.put(randomSuffix(random), 1 + random.nextInt(100));
        }
        CompactRange range = parse(entries);
        double perEntry = (double) range.heapBytes() / range.size();
        assertTrue(perEntry <= 24.0, "heap bytes per hash: " + perEntry);
    }
}
