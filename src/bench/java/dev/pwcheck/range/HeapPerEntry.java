package dev.pwcheck.range;

import dev.pwcheck.format.CompactRange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.lang.management.ManagementFactory;
import java.util.Random;

/**
 * Heap bytes per cached hash, measured rather than computed: fills a real {@link RangeCache} with N padded ranges
 * of ~950 hashes (HIBP's average) and divides the growth of the live heap (after full GCs) by the hashes stored.
 * Everything the cache holds is counted: Caffeine's nodes, the prefix keys, the wrappers and the records.
 * Usage: HeapPerEntry [ranges=10000] [entriesPerRange=950]
 */
public final class HeapPerEntry {

    public static void main(String[] args) throws Exception {
        int ranges = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int perRange = args.length > 1 ? Integer.parseInt(args[1]) : 950;
        Random random = new Random(1);

        RangeCache cache = BenchRanges.emptyCache(Long.MAX_VALUE / 2, new SimpleMeterRegistry());
        long before = liveHeap();
        long hashes = 0;
        for (int p = 0; p < ranges; p++) {
            CompactRange range = BenchRanges.parse(BenchRanges.answer(random, perRange, 150));
            hashes += range.size();
            BenchRanges.store(cache, String.format("%05X", p), range);
        }
        long after = liveHeap();
        double perHash = (double) (after - before) / hashes;
        System.out.printf("ranges=%d hashes=%d heap_growth_bytes=%d heap_bytes_per_hash=%.2f cache_weighted_bytes=%d weighted_per_hash=%.2f%n",
                ranges, hashes, after - before, perHash, cache.weightedBytes(), (double) cache.weightedBytes() / hashes);
        if (cache.entries() != ranges) {
            throw new IllegalStateException("the cache dropped ranges: " + cache.entries());
        }
    }

    private static long liveHeap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
