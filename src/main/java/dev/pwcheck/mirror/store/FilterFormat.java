package dev.pwcheck.mirror.store;

/**
 * The layout of a filter store ({@link StoreFormat.Kind#FILTER}), in the same file name and behind the same 64-byte
 * header as the other kinds (magic, version, mode, kind, created-at, CRC-32Cs), so that the service tells them apart
 * by the header alone:
 *
 * <pre>
 * header      64 bytes: as StoreFormat; H_RECORDS = keys, H_SHARD_BITS, H_MIN_COUNT
 * shards      2^shardBits entries of 32 bytes: seed, segment length, segment count × length, array length, keys,
 *             where its fingerprints start
 * fingerprints one binary fuse filter a shard (16-bit fingerprints, big-endian), shard after shard
 * held        2^20 bits: which ranges the filter was built from, in a partial filter only (H_RANGES_HELD = 1); a
 *             filter of every range has none, as filters had before partial ones existed
 * </pre>
 *
 * A key is the first 64 bits of the hash (the 5-hex prefix and 11 more digits, as a compact store keeps); a shard
 * holds the keys whose top {@code shardBits} bits are its number, so a shard is a run of whole ranges, built on its
 * own in memory bounded by the largest shard. Only keys seen at least the build threshold ({@code --min-count}) are in.
 *
 * <p>The held ranges come last, and only in a partial filter, so that a filter of the whole corpus keeps the layout
 * it always had (a release from before reads it); the header's meta checksum covers them with the shard table. A filter says "clean" for any key it
 * lacks, so without them a partial filter would call every hash of a range it never saw clean.
 */
final class FilterFormat {

    static final int H_SHARD_BITS = 24;
    static final int H_MIN_COUNT = 48;
    /** 1 when the held-ranges bitmap ends the file (a partial filter), 0 in a filter of every range. */
    static final int H_RANGES_HELD = 52;
    static final int HELD_BYTES = StoreFormat.PREFIXES / 8;
    static final long SHARDS_AT = StoreFormat.HEADER_BYTES;
    static final int SHARD_BYTES = 32;
    /** The width byte of a filter store's header: bytes a fingerprint. */
    static final int FINGERPRINT_BYTES = 2;
    /** Keys a shard is aimed at, at most: building one takes about 30 bytes a key of heap. */
    static final long SHARD_KEYS = 1L << 22;

    private FilterFormat() {
    }

    /** The fewest shard bits that keep shards at about {@link #SHARD_KEYS} keys (at most 20: one range a shard). */
    static int shardBits(long keys) {
        int bits = 0;
        while (bits < 20 && (keys >> bits) > SHARD_KEYS) {
            bits++;
        }
        return bits;
    }

    static long fingerprintsAt(int shardBits) {
        return SHARDS_AT + (long) SHARD_BYTES << shardBits;
    }

    /** The 64-bit key of a hash: its 20-bit prefix, then the first 44 bits (11 hex digits) of its packed suffix. */
    static long key(int prefix, byte[] packedSuffix) {
        long key = (long) prefix << 44;
        for (int b = 0; b < 5; b++) {
            key |= (long) (packedSuffix[b] & 0xff) << (36 - 8 * b);
        }
        return key | (packedSuffix[5] & 0xf0) >>> 4;
    }
}
