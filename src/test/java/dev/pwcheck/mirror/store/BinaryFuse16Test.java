package dev.pwcheck.mirror.store;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The binary fuse filter on its own: no false negatives, about 2^-16 false positives, and the sizes it promises. */
class BinaryFuse16Test {

    private static long[] keys(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = random.nextLong();
        }
        return keys;
    }

    @Test
    void everyKeyItWasBuiltFromIsIn() {
        for (int n : new int[] {1, 2, 3, 10, 1000, 100_000}) {
            long[] keys = keys(n, n);
            BinaryFuse16.Built filter = BinaryFuse16.build(keys, n, 7);
            for (long key : keys) {
                assertTrue(filter.mayContain(key), n + " keys");
            }
        }
    }

    @Test
    void anEmptyFilterHoldsNothing() {
        assertFalse(BinaryFuse16.build(new long[0], 0, 7).mayContain(42));
    }

    @Test
    void falsePositivesAreNearOneIn65536() {
        BinaryFuse16.Built filter = BinaryFuse16.build(keys(1_000_000, 1), 1_000_000, 7);
        long[] absent = keys(2_000_000, 2);
        int hits = 0;
        for (long key : absent) {
            hits += filter.mayContain(key) ? 1 : 0;
        }
        // 2,000,000 / 65,536 = 30.5 expected; this bound is about five standard deviations wide.
        assertTrue(hits >= 5 && hits <= 60, "false positives: " + hits);
    }

    @Test
    void aFewMillionKeysTakeAboutOnePointOneThreeCellsAKey() {
        BinaryFuse16.Params p = BinaryFuse16.params(4_000_000, 0);
        double cells = (double) p.arrayLength() / 4_000_000;
        assertTrue(cells < 1.15, "cells a key: " + cells);
        assertEquals(0, p.arrayLength() % p.segmentLength());
    }
}
