package dev.pwcheck.mirror.store;

import dev.pwcheck.format.HashMode;
import dev.pwcheck.hash.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A filter records the ranges it was built from: built from a partial store it holds those only, its checksum covers
 * them, and a filter of every range keeps the layout filters had before (no held-ranges bits), which opens as holding
 * every range, so that releases from before partial filters read it.
 */
class PartialFilterStoreTest {

    static final String IN_00ABC = "00ABC" + "1".repeat(35);
    static final String IN_FFFFF = "FFFFF" + "2".repeat(35);

    @TempDir
    Path dir;

    /** A compact store holding ranges 00ABC (one hash), 12345 (empty) and FFFFF (one hash), then the filter over it. */
    private Path partialFilter() {
        Path compact = dir.resolve("compact.pwstore");
        try (StoreWriter writer = new StoreWriter(compact, HashMode.SHA1, StoreFormat.Kind.COMPACT, false)) {
            writer.beginRange(0x00ABC);
            writer.add(Hex.packSuffix(IN_00ABC, 5), 0, 10);
            writer.beginRange(0x12345);
            writer.beginRange(0xFFFFF);
            writer.add(Hex.packSuffix(IN_FFFFF, 5), 0, 20);
            writer.commit();
        }
        Path filter = dir.resolve("sha1.pwstore");
        new FilterWriter(1, MirrorStoreTest.quiet()).write(MirrorStore.open(compact, true), filter);
        return filter;
    }

    private static int count(MirrorStore store, String hash) {
        return store.count(Integer.parseInt(hash.substring(0, 5), 16), Hex.packSuffix(hash, 5));
    }

    @Test
    void aFilterOfAPartialStoreHoldsItsRangesOnly() {
        MirrorStore store = MirrorStore.open(partialFilter(), true);

        assertEquals(StoreFormat.Kind.FILTER, store.kind());
        assertEquals(3, store.presentRanges());
        assertTrue(store.holds(0x00ABC) && store.holds(0x12345) && store.holds(0xFFFFF));
        assertFalse(store.holds(0x00000) || store.holds(0x00ABD) || store.holds(0xFFFFE));
        assertEquals(1, count(store, IN_00ABC));
        assertEquals(1, count(store, IN_FFFFF));
        assertEquals(0, count(store, "00ABC" + "3".repeat(35)));
    }

    @Test
    void aFlippedHeldBitIsCaughtByTheChecksum() throws IOException {
        Path filter = partialFilter();
        byte[] bytes = Files.readAllBytes(filter);
        int heldAt = bytes.length - FilterFormat.HELD_BYTES;
        bytes[heldAt + (0x00000 >>> 3)] |= 1;
        Files.write(filter, bytes);

        StoreException refused = assertThrows(StoreException.class, () -> MirrorStore.open(filter, false));
        assertTrue(refused.getMessage().contains("held ranges do not match their checksum"), refused.getMessage());
    }

    @Test
    void aFilterOfEveryRangeKeepsTheLayoutFiltersHadBefore() throws IOException {
        FilterStores.write(java.util.Map.of(IN_00ABC, 10), dir.resolve("whole"), 1);
        Path filter = dir.resolve("whole").resolve("sha1.pwstore");
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(filter));

        assertEquals(0, bytes.getInt(FilterFormat.H_RANGES_HELD), "no held-ranges bits");
        int shardBits = bytes.getInt(FilterFormat.H_SHARD_BITS);
        long fingerprintBytes = 0;
        for (int shard = 0; shard < 1 << shardBits; shard++) {
            fingerprintBytes += 2L * bytes.getInt((int) FilterFormat.SHARDS_AT + FilterFormat.SHARD_BYTES * shard + 16);
        }
        assertEquals(FilterFormat.fingerprintsAt(shardBits) + fingerprintBytes, bytes.capacity(), "the file ends with its fingerprints");
        assertEquals(StoreFormat.PREFIXES, MirrorStore.open(filter, true).presentRanges());
    }

    @Test
    void aFilterWithoutHeldRangesHoldsEveryRange() throws IOException {
        Path filter = partialFilter();
        byte[] bytes = Files.readAllBytes(filter);
        // As the writer wrote it before: no flag, no held-ranges bits, the meta checksum over the shard table alone.
        ByteBuffer old = ByteBuffer.wrap(bytes, 0, bytes.length - FilterFormat.HELD_BYTES).slice();
        old.putInt(FilterFormat.H_RANGES_HELD, 0);
        int shardBits = old.getInt(FilterFormat.H_SHARD_BITS);
        CRC32C meta = new CRC32C();
        meta.update(bytes, (int) FilterFormat.SHARDS_AT, FilterFormat.SHARD_BYTES << shardBits);
        old.putInt(StoreFormat.H_META_CRC, (int) meta.getValue());
        byte[] oldBytes = new byte[old.capacity()];
        old.get(0, oldBytes);
        Files.write(filter, oldBytes);

        MirrorStore store = MirrorStore.open(filter, true);
        assertEquals(StoreFormat.PREFIXES, store.presentRanges());
        assertTrue(store.holds(0x00000) && store.holds(0x54321));
        assertEquals(1, count(store, IN_00ABC));
    }

    @Test
    void aTopHashesStoreIsStillRefused() {
        Path top = dir.resolve("top.pwstore");
        try (StoreWriter writer = new StoreWriter(top, HashMode.SHA1, StoreFormat.Kind.FULL, true)) {
            writer.beginRange(0x00ABC);
            writer.add(Hex.packSuffix(IN_00ABC, 5), 0, 10);
            writer.commit();
        }
        StoreException refused = assertThrows(StoreException.class,
                () -> new FilterWriter(1, MirrorStoreTest.quiet()).write(MirrorStore.open(top, true), dir.resolve("sha1.pwstore")));
        assertTrue(refused.getMessage().contains("not from a filter or a top-hashes store"), refused.getMessage());
    }
}
