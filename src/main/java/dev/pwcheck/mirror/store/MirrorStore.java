package dev.pwcheck.mirror.store;

import dev.pwcheck.range.CompactRange;
import dev.pwcheck.range.HashMode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static dev.pwcheck.mirror.store.StoreFormat.PREFIXES;

/**
 * A store file opened for lookups, memory-mapped: the operating system's page cache holds the corpus, not the
 * heap. A lookup reads two index entries and binary-searches one range (about a thousand records in the real
 * corpus, so ten probes). Opening checks the layout and the checksums, so a truncated or corrupted file is refused
 * before it answers anything.
 */
public final class MirrorStore {

    /** Mappings are at most 2^30 bytes and overlap by a record, so no record straddles two of them. */
    private static final int SEGMENT_SHIFT = 30;
    private static final long SEGMENT_MASK = (1L << SEGMENT_SHIFT) - 1;
    private static final int SEGMENT_OVERLAP = 64;

    private final Path file;
    private final Object identity;
    private final HashMode mode;
    private final StoreFormat.Kind kind;
    private final boolean subset;
    private final int width;
    private final int suffixBytes;
    private final int keyBytes;
    private final long records;
    private final int overflowPairs;
    private final Instant createdAt;
    private final MappedByteBuffer[] segments;
    private final int presentRanges;
    /** A filter store's shards (null for full and compact stores); lookups read their fingerprints from the mapping. */
    private final FilterShard[] shards;
    private final int shardBits;
    private final int minCount;

    private record FilterShard(BinaryFuse16.Params params, long fingerprintsAt) {
    }

    private MirrorStore(Path file, Object identity, MappedByteBuffer[] segments, long size, boolean verifyRecords) {
        this.file = file;
        this.identity = identity;
        this.segments = segments;
        if (size < StoreFormat.HEADER_BYTES) {
            throw new StoreException(file + " is truncated: shorter than a store header");
        }
        byte[] magic = new byte[StoreFormat.MAGIC.length];
        for (int i = 0; i < magic.length; i++) {
            magic[i] = byteAt(i);
        }
        if (!Arrays.equals(magic, StoreFormat.MAGIC)) {
            throw new StoreException(file + " is not a pwcheck mirror store");
        }
        if (intAt(StoreFormat.H_VERSION) != StoreFormat.VERSION) {
            throw new StoreException(file + " has store format version " + intAt(StoreFormat.H_VERSION) + "; this build reads version " + StoreFormat.VERSION);
        }
        this.mode = StoreFormat.modeOf(byteAt(StoreFormat.H_MODE));
        this.kind = StoreFormat.Kind.of(byteAt(StoreFormat.H_KIND));
        this.subset = byteAt(StoreFormat.H_SUBSET) != 0;
        this.suffixBytes = mode.suffixBytes();
        this.createdAt = Instant.ofEpochMilli(longAt(StoreFormat.H_CREATED));
        if (kind == StoreFormat.Kind.FILTER) {
            this.width = FilterFormat.FINGERPRINT_BYTES;
            this.keyBytes = 0;
            this.overflowPairs = 0;
            this.records = longAt(StoreFormat.H_RECORDS);
            this.shardBits = intAt(FilterFormat.H_SHARD_BITS);
            this.minCount = intAt(FilterFormat.H_MIN_COUNT);
            this.shards = openFilter(size, verifyRecords);
            this.presentRanges = PREFIXES;
            return;
        }
        if (size < StoreFormat.RECORDS_AT) {
            throw new StoreException(file + " is truncated: shorter than a store header and index");
        }
        this.shards = null;
        this.shardBits = 0;
        this.minCount = 1;
        this.width = StoreFormat.recordBytes(mode, kind);
        this.keyBytes = StoreFormat.keyBytes(mode, kind);
        if (byteAt(StoreFormat.H_WIDTH) != width) {
            throw new StoreException(file + " has a record width that does not match its mode and kind");
        }
        this.records = longAt(StoreFormat.H_RECORDS);
        this.overflowPairs = intAt(StoreFormat.H_OVERFLOW);
        if (records < 0 || records > 0xFFFF_FFFFL || overflowPairs < 0 || size != StoreFormat.fileBytes(records, width, overflowPairs)) {
            throw new StoreException(file + " is truncated or padded: its size does not match its header");
        }
        CRC32C meta = new CRC32C();
        update(meta, StoreFormat.INDEX_AT, StoreFormat.RECORDS_AT - StoreFormat.INDEX_AT);
        update(meta, StoreFormat.overflowAt(records, width), 8L * overflowPairs);
        if ((int) meta.getValue() != intAt(StoreFormat.H_META_CRC)) {
            throw new StoreException(file + " is corrupt: its index does not match its checksum");
        }
        long previous = 0;
        int present = 0;
        for (int p = 0; p <= PREFIXES; p++) {
            long start = rangeStart(p);
            if (start < previous || start > records) {
                throw new StoreException(file + " is corrupt: its index is not in order");
            }
            if (p < PREFIXES) {
                if (holds(p)) {
                    present++;
                } else if (rangeStart(p + 1) != start) {
                    throw new StoreException(file + " is corrupt: a range it does not hold has records");
                }
            }
            previous = start;
        }
        if (rangeStart(PREFIXES) != records) {
            throw new StoreException(file + " is corrupt: its index does not cover its records");
        }
        this.presentRanges = present;
        if (verifyRecords) {
            CRC32C crc = new CRC32C();
            update(crc, StoreFormat.RECORDS_AT, records * width);
            if ((int) crc.getValue() != intAt(StoreFormat.H_RECORDS_CRC)) {
                throw new StoreException(file + " is corrupt: its records do not match their checksum");
            }
        }
    }

    /** Reads and checks a filter store's shard table (and, with {@code verify}, its fingerprints' checksum). */
    private FilterShard[] openFilter(long size, boolean verify) {
        if (byteAt(StoreFormat.H_WIDTH) != FilterFormat.FINGERPRINT_BYTES || shardBits < 0 || shardBits > 20 || minCount < 1 || records < 0
                || size < FilterFormat.fingerprintsAt(shardBits)) {
            throw new StoreException(file + " is not a usable filter store: its header does not add up");
        }
        CRC32C meta = new CRC32C();
        update(meta, FilterFormat.SHARDS_AT, (long) FilterFormat.SHARD_BYTES << shardBits);
        if ((int) meta.getValue() != intAt(StoreFormat.H_META_CRC)) {
            throw new StoreException(file + " is corrupt: its shard table does not match its checksum");
        }
        FilterShard[] table = new FilterShard[1 << shardBits];
        long expectAt = FilterFormat.fingerprintsAt(shardBits);
        long keys = 0;
        for (int i = 0; i < table.length; i++) {
            long at = FilterFormat.SHARDS_AT + (long) FilterFormat.SHARD_BYTES * i;
            BinaryFuse16.Params stored = new BinaryFuse16.Params(longAt(at), intAt(at + 8), intAt(at + 12), intAt(at + 16));
            int shardKeys = intAt(at + 20);
            long fingerprintsAt = longAt(at + 24);
            BinaryFuse16.Params expected = BinaryFuse16.params(shardKeys, stored.seed());
            if (shardKeys < 0 || !expected.equals(stored) || fingerprintsAt != expectAt) {
                throw new StoreException(file + " is corrupt: shard " + i + " does not match its layout");
            }
            expectAt += 2L * stored.arrayLength();
            keys += shardKeys;
            table[i] = new FilterShard(stored, fingerprintsAt);
        }
        if (expectAt != size || keys != records) {
            throw new StoreException(file + " is truncated or padded: its size does not match its shards");
        }
        if (verify) {
            CRC32C crc = new CRC32C();
            update(crc, FilterFormat.fingerprintsAt(shardBits), size - FilterFormat.fingerprintsAt(shardBits));
            if ((int) crc.getValue() != intAt(StoreFormat.H_RECORDS_CRC)) {
                throw new StoreException(file + " is corrupt: its fingerprints do not match their checksum");
            }
        }
        return table;
    }

    /**
     * Maps and checks {@code file}.
     *
     * @param verifyRecords also checksum every record (reads the whole file once, which also warms the page cache)
     * @throws StoreException when the file is missing, truncated, corrupt or of another format
     */
    public static MirrorStore open(Path file, boolean verifyRecords) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            long size = channel.size();
            int count = (int) Math.max(1, (size + SEGMENT_MASK) >>> SEGMENT_SHIFT);
            MappedByteBuffer[] segments = new MappedByteBuffer[count];
            for (int i = 0; i < count; i++) {
                long from = (long) i << SEGMENT_SHIFT;
                long length = Math.min(size - from, (1L << SEGMENT_SHIFT) + SEGMENT_OVERLAP);
                segments[i] = channel.map(FileChannel.MapMode.READ_ONLY, from, Math.max(0, length));
            }
            Object identity = Arrays.asList(attributes.fileKey(), attributes.lastModifiedTime(), size);
            return new MirrorStore(file, identity, segments, size, verifyRecords);
        } catch (IOException e) {
            throw new StoreException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** Identity of the file as opened (inode, modification time, size): a changed value means a new store. */
    public static Object identityOf(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return Arrays.asList(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
    }

    public Object identity() {
        return identity;
    }

    public Path file() {
        return file;
    }

    public HashMode mode() {
        return mode;
    }

    /** Full (whole suffixes), compact (the first 64 bits of each hash) or filter (membership only). */
    public StoreFormat.Kind kind() {
        return kind;
    }

    /** True for a store of some hashes only ({@code mirror top}): its "not found" means nothing. */
    public boolean subset() {
        return subset;
    }

    public long hashes() {
        return records;
    }

    public int presentRanges() {
        return presentRanges;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** Whether the store has the range of {@code prefix} (every range, unless it was built partial). */
    public boolean holds(int prefix) {
        if (shards != null) {
            return true;
        }
        return (byteAt(StoreFormat.PRESENCE_AT + (prefix >>> 3)) & (1 << (prefix & 7))) != 0;
    }

    /**
     * Times the hash was seen, 0 when the range (which must be {@link #holds held}) does not contain it. In a compact
     * store only the first 64 bits of the hash are compared. A filter store keeps no counts: a hash it may hold
     * answers its build threshold ({@link #minCount()}), a lower bound.
     */
    public int count(int prefix, byte[] packedSuffix) {
        if (shards != null) {
            return mayContain(FilterFormat.key(prefix, packedSuffix)) ? minCount : 0;
        }
        long low = rangeStart(prefix);
        long high = rangeStart(prefix + 1) - 1;
        while (low <= high) {
            long mid = (low + high) >>> 1;
            int cmp = compareAt(mid, packedSuffix);
            if (cmp < 0) {
                low = mid + 1;
            } else if (cmp > 0) {
                high = mid - 1;
            } else {
                return countAt(mid);
            }
        }
        return 0;
    }

    /**
     * The range of {@code prefix} in the cache's form, for the range endpoint and export; null when not
     * {@link #holds held}, or when the store is compact (it cannot give back whole suffixes).
     */
    public CompactRange range(int prefix) {
        if (!holds(prefix) || kind != StoreFormat.Kind.FULL) {
            return null;
        }
        long start = rangeStart(prefix);
        int size = (int) (rangeStart(prefix + 1) - start);
        int compactWidth = suffixBytes + Integer.BYTES;
        byte[] out = new byte[size * compactWidth];
        for (int i = 0; i < size; i++) {
            int o = i * compactWidth;
            suffixAt(start + i, out, o);
            int count = countAt(start + i);
            out[o + suffixBytes] = (byte) (count >>> 24);
            out[o + suffixBytes + 1] = (byte) (count >>> 16);
            out[o + suffixBytes + 2] = (byte) (count >>> 8);
            out[o + suffixBytes + 3] = (byte) count;
        }
        return CompactRange.fromRecords(mode, out);
    }

    /** Whether a filter store may hold the 64-bit key: false is certain, true is wrong about once in 65,536. */
    boolean mayContain(long key) {
        FilterShard shard = shards[(int) (key >>> (64 - shardBits)) & ((1 << shardBits) - 1)];
        BinaryFuse16.Params p = shard.params();
        if (p.arrayLength() == 0) {
            return false;
        }
        long hash = BinaryFuse16.mix(key, p.seed());
        int f = BinaryFuse16.fingerprint(hash);
        for (int c = 0; c < BinaryFuse16.ARITY; c++) {
            f ^= shortAt(shard.fingerprintsAt() + 2L * BinaryFuse16.cell(c, hash, p));
        }
        return (short) f == 0;
    }

    /** A filter store's build threshold: the count a hit answers (1 for the other kinds, which keep counts). */
    public int minCount() {
        return minCount;
    }

    /** Copies a full or compact record's key bytes (the count's bits cleared) into {@code into}. */
    void keyAt(long record, byte[] into) {
        long at = recordAt(record);
        for (int b = 0; b < keyBytes; b++) {
            into[b] = byteAt(at + b);
        }
        into[keyBytes - 1] &= (byte) 0xF0;
    }

    /** Copies {@code n} whole records from {@code first} on, as stored (key and count bits), into {@code into} at {@code to}. */
    void copyRecords(long first, int n, byte[] into, int to) {
        long at = recordAt(first);
        long end = at + (long) n * width;
        while (at < end) {
            int segment = (int) (at >>> SEGMENT_SHIFT);
            int offset = (int) (at & SEGMENT_MASK);
            int chunk = (int) Math.min(end - at, (1L << SEGMENT_SHIFT) - offset);
            segments[segment].get(offset, into, to, chunk);
            at += chunk;
            to += chunk;
        }
    }

    /** The first record of {@code prefix}'s range; {@code rangeStart(prefix + 1)} is one past its last. */
    public long rangeStart(int prefix) {
        return Integer.toUnsignedLong(intAt(StoreFormat.INDEX_AT + 4L * prefix));
    }

    private long recordAt(long record) {
        return StoreFormat.RECORDS_AT + record * width;
    }

    private int compareAt(long record, byte[] packedSuffix) {
        long at = recordAt(record);
        for (int b = 0; b < keyBytes - 1; b++) {
            int cmp = Integer.compare(byteAt(at + b) & 0xFF, packedSuffix[b] & 0xFF);
            if (cmp != 0) {
                return cmp;
            }
        }
        return Integer.compare(byteAt(at + keyBytes - 1) & 0xF0, packedSuffix[keyBytes - 1] & 0xF0);
    }

    /** Copies the packed suffix of a full store's record (its last nibble zero, the count's bits cleared) into {@code into} at {@code to}. */
    public void suffixAt(long record, byte[] into, int to) {
        long at = recordAt(record);
        for (int b = 0; b < suffixBytes; b++) {
            into[to + b] = byteAt(at + b);
        }
        into[to + suffixBytes - 1] &= (byte) 0xF0;
    }

    public int countAt(long record) {
        long at = recordAt(record) + keyBytes - 1;
        int inline = (byteAt(at) & 0x0F) << 8 | byteAt(at + 1) & 0xFF;
        return inline == StoreFormat.OVERFLOW_MARK ? overflowCount(record) : inline;
    }

    private int overflowCount(long record) {
        long base = StoreFormat.overflowAt(records, width);
        int low = 0;
        int high = overflowPairs - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long at = Integer.toUnsignedLong(intAt(base + 8L * mid));
            if (at < record) {
                low = mid + 1;
            } else if (at > record) {
                high = mid - 1;
            } else {
                return intAt(base + 8L * mid + 4);
            }
        }
        throw new StoreException(file + " is corrupt: a large count is missing from its overflow table");
    }

    private byte byteAt(long at) {
        return segments[(int) (at >>> SEGMENT_SHIFT)].get((int) (at & SEGMENT_MASK));
    }

    private short shortAt(long at) {
        return segments[(int) (at >>> SEGMENT_SHIFT)].getShort((int) (at & SEGMENT_MASK));
    }

    private int intAt(long at) {
        return segments[(int) (at >>> SEGMENT_SHIFT)].getInt((int) (at & SEGMENT_MASK));
    }

    private long longAt(long at) {
        return segments[(int) (at >>> SEGMENT_SHIFT)].getLong((int) (at & SEGMENT_MASK));
    }

    private void update(CRC32C crc, long from, long length) {
        long at = from;
        long end = from + length;
        while (at < end) {
            int segment = (int) (at >>> SEGMENT_SHIFT);
            int offset = (int) (at & SEGMENT_MASK);
            int chunk = (int) Math.min(end - at, (1L << SEGMENT_SHIFT) - offset);
            ByteBuffer slice = segments[segment].duplicate();
            slice.position(offset).limit(offset + chunk);
            crc.update(slice);
            at += chunk;
        }
    }
}
