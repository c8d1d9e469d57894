package dev.pwcheck.mirror;

import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.hash.Hex;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The false-positive rate of a filter store, measured: {@code n} random hashes over all prefixes, each checked absent
 * in the full store built from the same corpus (so the count is of true false positives), then asked of the filter.
 *
 * <pre>FilterFalsePositives FILTER_STORE FULL_STORE N</pre>
 */
public final class FilterFalsePositives {

    public static void main(String[] args) {
        MirrorStore filter = MirrorStore.open(Path.of(args[0]), false);
        MirrorStore full = MirrorStore.open(Path.of(args[1]), false);
        long n = Long.parseLong(args[2]);
        SplittableRandom random = new SplittableRandom(11);
        byte[] suffix = new byte[Hex.SUFFIX_BYTES];
        long absent = 0;
        long hits = 0;
        long start = System.nanoTime();
        for (long i = 0; i < n; i++) {
            int prefix = random.nextInt(StoreFormat.PREFIXES);
            for (int b = 0; b < suffix.length; b++) {
                suffix[b] = (byte) random.nextInt(256);
            }
            suffix[suffix.length - 1] &= (byte) 0xF0;
            if (full.count(prefix, suffix) != 0) {
                continue;
            }
            absent++;
            if (filter.count(prefix, suffix) > 0) {
                hits++;
            }
        }
        System.out.printf("%,d absent hashes, %,d false positives: rate %.3g (2^-16 = %.3g), %.1f s%n", absent, hits,
                (double) hits / absent, Math.pow(2, -16), (System.nanoTime() - start) / 1e9);
    }
}
