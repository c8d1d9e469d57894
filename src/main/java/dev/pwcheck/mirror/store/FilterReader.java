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
        if (map.crcOf(FilterFormat.SHARDS_AT, (long) FilterFormat.SHARD_BYTES << shardBits) != map.intAt(StoreFormat.H_META_CRC)) {
            throw new StoreException(map.file + " is corrupt: its shard table does not match its checksum");
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
        if (expectAt != map.size || total != keys) {
            throw new StoreException(map.file + " is truncated or padded: its size does not match its shards");
        }
        long fingerprints = FilterFormat.fingerprintsAt(shardBits);
        if (verify && map.crcOf(fingerprints, map.size - fingerprints) != map.intAt(StoreFormat.H_RECORDS_CRC)) {
            throw new StoreException(map.file + " is corrupt: its fingerprints do not match their checksum");
        }
    }

    long keys() {
        return keys;
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
