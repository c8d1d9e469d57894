package dev.pwcheck.mirror.store;

/**
 * Reads a filter store ({@link FilterFormat}): checks its shard table against the header and the checksums, then
 * answers membership from the mapped fingerprints, never from a heap copy.
 */
final class FilterReader {

    private record Shard(BinaryFuse16.Params params, long fingerprintsAt) {
    }

    private final MappedFile map;
    private final Shard[] shards;
    private final int shardBits;
    private final int minCount;
    private final long keys;
    /** Where the held-ranges bits start, or -1 in an older filter, which holds every range. */
    private final long heldAt;
    private final int presentRanges;

    /**
     * @param keys the header's key count, which the shards must add up to
     * @param verify also checksum every fingerprint (reads the whole file once)
     */
    FilterReader(MappedFile map, long keys, boolean verify) {
        this.map = map;
        this.keys = keys;
        this.shardBits = map.intAt(FilterFormat.H_SHARD_BITS);
        this.minCount = map.intAt(FilterFormat.H_MIN_COUNT);
        if (map.byteAt(StoreFormat.H_WIDTH) != FilterFormat.FINGERPRINT_BYTES || shardBits < 0 || shardBits > 20 || minCount < 1 || keys < 0
                || map.size < FilterFormat.fingerprintsAt(shardBits)) {
            throw new StoreException(map.file + " is not a usable filter store: its header does not add up");
        }
        int rangesHeld = map.intAt(FilterFormat.H_RANGES_HELD);
        long tableBytes = (long) FilterFormat.SHARD_BYTES << shardBits;
        if (rangesHeld != 0 && rangesHeld != 1 || rangesHeld == 1 && map.size < FilterFormat.fingerprintsAt(shardBits) + FilterFormat.HELD_BYTES) {
            throw new StoreException(map.file + " is not a usable filter store: its header does not add up");
        }
        // The held ranges end the file: where they are does not depend on the shard table, so both are checked
        // against their checksum before anything is read from either.
        this.heldAt = rangesHeld == 1 ? map.size - FilterFormat.HELD_BYTES : -1;
        java.util.zip.CRC32C meta = new java.util.zip.CRC32C();
        map.update(meta, FilterFormat.SHARDS_AT, tableBytes);
        if (heldAt >= 0) {
            map.update(meta, heldAt, FilterFormat.HELD_BYTES);
        }
        if ((int) meta.getValue() != map.intAt(StoreFormat.H_META_CRC)) {
            throw new StoreException(map.file + " is corrupt: its shard table or held ranges do not match their checksum");
        }
        this.shards = new Shard[1 << shardBits];
        long expectAt = FilterFormat.fingerprintsAt(shardBits);
        long total = 0;
        for (int i = 0; i < shards.length; i++) {
            long at = FilterFormat.SHARDS_AT + (long) FilterFormat.SHARD_BYTES * i;
            BinaryFuse16.Params stored = new BinaryFuse16.Params(map.longAt(at), map.intAt(at + 8), map.intAt(at + 12), map.intAt(at + 16));
            int shardKeys = map.intAt(at + 20);
            long fingerprintsAt = map.longAt(at + 24);
            BinaryFuse16.Params expected = BinaryFuse16.params(shardKeys, stored.seed());
            if (shardKeys < 0 || !expected.equals(stored) || fingerprintsAt != expectAt) {
                throw new StoreException(map.file + " is corrupt: shard " + i + " does not match its layout");
            }
            expectAt += 2L * stored.arrayLength();
            total += shardKeys;
            shards[i] = new Shard(stored, fingerprintsAt);
        }
        if (expectAt != (heldAt >= 0 ? heldAt : map.size) || total != keys) {
            throw new StoreException(map.file + " is truncated or padded: its size does not match its shards");
        }
        int present = 0;
        for (int prefix = 0; prefix < StoreFormat.PREFIXES; prefix++) {
            present += holds(prefix) ? 1 : 0;
        }
        this.presentRanges = present;
        long fingerprints = FilterFormat.fingerprintsAt(shardBits);
        if (verify && map.crcOf(fingerprints, expectAt - fingerprints) != map.intAt(StoreFormat.H_RECORDS_CRC)) {
            throw new StoreException(map.file + " is corrupt: its fingerprints do not match their checksum");
        }
    }

    long keys() {
        return keys;
    }

    /** Whether the filter was built from the range of {@code prefix}: for the others, its "clean" means nothing. */
    boolean holds(int prefix) {
        return heldAt < 0 || (map.byteAt(heldAt + (prefix >>> 3)) & (1 << (prefix & 7))) != 0;
    }

    int presentRanges() {
        return presentRanges;
    }

    /** The build threshold: the count a hit answers. */
    int minCount() {
        return minCount;
    }

    /** Whether the filter may hold the 64-bit key: false is certain, true is wrong about once in 65,536. */
    boolean mayContain(long key) {
        Shard shard = shards[(int) (key >>> (64 - shardBits)) & ((1 << shardBits) - 1)];
        BinaryFuse16.Params p = shard.params();
        if (p.arrayLength() == 0) {
            return false;
        }
        long hash = BinaryFuse16.mix(key, p.seed());
        int f = BinaryFuse16.fingerprint(hash);
        for (int c = 0; c < BinaryFuse16.ARITY; c++) {
            f ^= map.shortAt(shard.fingerprintsAt() + 2L * BinaryFuse16.cell(c, hash, p));
        }
        return (short) f == 0;
    }
}
