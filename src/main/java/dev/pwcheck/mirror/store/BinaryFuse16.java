package dev.pwcheck.mirror.store;

/**
 * A binary fuse filter with 16-bit fingerprints (Graf and Lemire, "Binary Fuse Filters: Fast and Smaller Than Xor
 * Filters", 2022): three cells per key in consecutive segments, a fingerprint the XOR of the three, built by peeling.
 * About 1.13 × 2 bytes a key for a few million keys, and a false-positive rate of about 2^-16. This class builds one
 * (an array of fingerprints and its parameters); {@link FilterFormat} lays it out on disk and {@link MirrorStore}
 * answers from the mapped file with {@link #cells}, so a lookup never needs a heap copy.
 */
final class BinaryFuse16 {

    static final int ARITY = 3;
    private static final int MAX_SEGMENT_LENGTH = 1 << 18;
    private static final int MAX_ATTEMPTS = 100;

    /** What a lookup needs besides the fingerprints. */
    record Params(long seed, int segmentLength, int segmentCountLength, int arrayLength) {
    }

    private BinaryFuse16() {
    }

    /** The layout for {@code keys} keys, fixed before building so that a file can be laid out ahead of it. */
    static Params params(int keys, long seed) {
        if (keys == 0) {
            return new Params(seed, 4, 0, 0);
        }
        int size = Math.max(keys, 2);
        int segmentLength = Math.min(MAX_SEGMENT_LENGTH, 1 << (int) Math.floor(Math.log(size) / Math.log(3.33) + 2.25));
        double sizeFactor = Math.max(1.125, 0.875 + 0.25 * Math.log(1_000_000) / Math.log(size));
        int capacity = (int) Math.round(size * sizeFactor);
        int initSegmentCount = (capacity + segmentLength - 1) / segmentLength - (ARITY - 1);
        int arrayLength = (initSegmentCount + ARITY - 1) * segmentLength;
        int segmentCount = (arrayLength + segmentLength - 1) / segmentLength;
        segmentCount = segmentCount <= ARITY - 1 ? 1 : segmentCount - (ARITY - 1);
        arrayLength = (segmentCount + ARITY - 1) * segmentLength;
        return new Params(seed, segmentLength, segmentCount * segmentLength, arrayLength);
    }

    static long mix(long key, long seed) {
        long h = key + seed;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    static short fingerprint(long hash) {
        return (short) (hash ^ (hash >>> 32));
    }

    /** Cell {@code index} (0, 1, 2) of {@code hash}. */
    static int cell(int index, long hash, Params p) {
        // The high 64 bits of the unsigned product hash × segmentCountLength (a positive int).
        long h = Math.multiplyHigh(hash, p.segmentCountLength()) + ((hash >> 63) & p.segmentCountLength());
        h += (long) index * p.segmentLength();
        long low36 = hash & ((1L << 36) - 1);
        h ^= (low36 >>> (36 - 18 * index)) & (p.segmentLength() - 1);
        return (int) h;
    }

    /** The three cells of {@code hash}, into {@code out}. */
    static void cells(long hash, Params p, int[] out) {
        for (int i = 0; i < ARITY; i++) {
            out[i] = cell(i, hash, p);
        }
    }

    /** A filter over {@code keys[0, n)}, which must be distinct; the seed is drawn from {@code seedSource}. */
    static Built build(long[] keys, int n, long seedSource) {
        long[] rng = {seedSource};
        Params p = params(n, splitmix(rng));
        short[] fingerprints = new short[p.arrayLength()];
        if (n == 0) {
            return new Built(p, fingerprints);
        }
        int capacity = p.arrayLength();
        long[] order = new long[n];
        byte[] orderCell = new byte[n];
        byte[] count = new byte[capacity];
        long[] xorHash = new long[capacity];
        int[] alone = new int[capacity];
        int[] h = new int[ARITY + 2];
        for (int attempt = 0; ; attempt++) {
            if (attempt == MAX_ATTEMPTS) {
                throw new StoreException("could not build a filter over " + n + " keys (are they distinct?)");
            }
            // Each cell keeps how many keys map to it (count >> 2) and, for a cell of one key, which of its three
            // cells it is (count & 3, XORed in and out), and the XOR of the hashes that map to it.
            boolean overflow = false;
            for (int i = 0; i < n; i++) {
                long hash = mix(keys[i], p.seed());
                for (int c = 0; c < ARITY; c++) {
                    int cell = cell(c, hash, p);
                    int before = count[cell] & 0xff;
                    overflow |= before >= 0xfc;
                    count[cell] = (byte) ((before + 4) ^ c);
                    xorHash[cell] ^= hash;
                }
            }
            int stack = 0;
            if (!overflow) {
                int queued = 0;
                for (int cell = 0; cell < capacity; cell++) {
                    if ((count[cell] & 0xff) >> 2 == 1) {
                        alone[queued++] = cell;
                    }
                }
                while (queued > 0) {
                    int cell = alone[--queued];
                    if ((count[cell] & 0xff) >> 2 != 1) {
                        continue;
                    }
                    long hash = xorHash[cell];
                    int found = count[cell] & 3;
                    order[stack] = hash;
                    orderCell[stack] = (byte) found;
                    stack++;
                    h[0] = cell(0, hash, p);
                    h[1] = cell(1, hash, p);
                    h[2] = cell(2, hash, p);
                    h[3] = h[0];
                    h[4] = h[1];
                    for (int k = 1; k <= 2; k++) {
                        int other = h[found + k];
                        int index = (found + k) % 3;
                        int c = count[other] & 0xff;
                        if (c >> 2 == 2) {
                            alone[queued++] = other;
                        }
                        count[other] = (byte) ((c - 4) ^ index);
                        xorHash[other] ^= hash;
                    }
                }
            }
            if (stack == n) {
                break;
            }
            java.util.Arrays.fill(count, (byte) 0);
            java.util.Arrays.fill(xorHash, 0);
            p = new Params(splitmix(rng), p.segmentLength(), p.segmentCountLength(), p.arrayLength());
        }
        for (int i = n - 1; i >= 0; i--) {
            long hash = order[i];
            int found = orderCell[i];
            h[0] = cell(0, hash, p);
            h[1] = cell(1, hash, p);
            h[2] = cell(2, hash, p);
            h[3] = h[0];
            h[4] = h[1];
            fingerprints[h[found]] = (short) (fingerprint(hash) ^ fingerprints[h[found + 1]] ^ fingerprints[h[found + 2]]);
        }
        return new Built(p, fingerprints);
    }

    /** A built filter: its parameters and fingerprints. */
    record Built(Params params, short[] fingerprints) {
        boolean mayContain(long key) {
            if (params.arrayLength() == 0) {
                return false;
            }
            long hash = mix(key, params.seed());
            int f = fingerprint(hash);
            for (int c = 0; c < ARITY; c++) {
                f ^= fingerprints[cell(c, hash, params)];
            }
            return (short) f == 0;
        }
    }

    private static long splitmix(long[] state) {
        long z = (state[0] += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
