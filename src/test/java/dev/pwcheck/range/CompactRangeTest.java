package dev.pwcheck.range;

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

    private static final RangeParser PARSER = new RangeParser(2 * 1024 * 1024, 100_000);

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
        CompactRange copy = CompactRange.fromRecords(range.records().clone());
        assertEquals(range.size(), copy.size());
        for (int i = 0; i < range.size(); i++) {
            assertEquals(suffixAt(range, i), suffixAt(copy, i));
            assertEquals(range.countAt(i), copy.countAt(i));
        }
    }

    @Test
    void corruptSharedTierRecordsAreRefused() {
        CompactRange range = parse(new TreeMap<>(java.util.Map.of("00000000000000000000000000000000001", 5, "00000000000000000000000000000000002", 6)));
        byte[] records = range.records();
        assertThrows(IllegalArgumentException.class, () -> CompactRange.fromRecords(java.util.Arrays.copyOf(records, records.length - 1)));
        byte[] swapped = new byte[records.length];
        System.arraycopy(records, CompactRange.ENTRY_BYTES, swapped, 0, CompactRange.ENTRY_BYTES);
        System.arraycopy(records, 0, swapped, CompactRange.ENTRY_BYTES, CompactRange.ENTRY_BYTES);
        assertThrows(IllegalArgumentException.class, () -> CompactRange.fromRecords(swapped));
        byte[] zeroCount = records.clone();
        CompactRange.writeCount(zeroCount, Hex.SUFFIX_BYTES, 0);
        assertThrows(IllegalArgumentException.class, () -> CompactRange.fromRecords(zeroCount));
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
