package dev.pwcheck.mirror.store;

import dev.pwcheck.format.CompactRange;
import dev.pwcheck.format.HashMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Arrays;


/**
 * A store file opened for lookups, memory-mapped: the operating system's page cache holds the corpus, not the
 * heap. Opening reads the header every kind shares ({@link StoreFormat#header}) and hands the rest to the reader of
 * its kind, {@link RecordReader} for full and compact stores, {@link FilterReader} for filters, each of which checks
 * its layout and checksums, so a truncated or corrupted file is refused before it answers anything.
 */
public final class MirrorStore {

    private final Path file;
    private final Object identity;
    private final HashMode mode;
    private final StoreFormat.Kind kind;
    private final boolean subset;
    private final Instant createdAt;
    /** Exactly one of these two: the reader of the store's kind. */
    private final RecordReader records;
    private final FilterReader filter;

    private MirrorStore(MappedFile map, boolean verify) {
        this.file = map.file;
        this.identity = map.identity;
        if (map.size < StoreFormat.HEADER_BYTES) {
            throw new StoreException(file + " is truncated: shorter than a store header");
        }
        byte[] magic = new byte[StoreFormat.MAGIC.length];
        for (int i = 0; i < magic.length; i++) {
            magic[i] = map.byteAt(i);
        }
        if (!Arrays.equals(magic, StoreFormat.MAGIC)) {
            throw new StoreException(file + " is not a pwcheck mirror store");
        }
        if (map.intAt(StoreFormat.H_VERSION) != StoreFormat.VERSION) {
            throw new StoreException(file + " has store format version " + map.intAt(StoreFormat.H_VERSION) + "; this build reads version " + StoreFormat.VERSION);
        }
        this.mode = StoreFormat.modeOf(map.byteAt(StoreFormat.H_MODE));
        this.kind = StoreFormat.Kind.of(map.byteAt(StoreFormat.H_KIND));
        this.subset = map.byteAt(StoreFormat.H_SUBSET) != 0;
        this.createdAt = Instant.ofEpochMilli(map.longAt(StoreFormat.H_CREATED));
        if (kind == StoreFormat.Kind.FILTER) {
            this.filter = new FilterReader(map, map.longAt(StoreFormat.H_RECORDS), verify);
            this.records = null;
        } else {
            this.records = new RecordReader(map, mode, kind, verify);
            this.filter = null;
        }
    }

    /**
     * Maps and checks {@code file}.
     *
     * @param verifyRecords also checksum every record (reads the whole file once, which also warms the page cache)
     * @throws StoreException when the file is missing, truncated, corrupt or of another format
     */
    public static MirrorStore open(Path file, boolean verifyRecords) {
        return new MirrorStore(MappedFile.map(file), verifyRecords);
    }

    /** Identity of the file as opened (inode, modification time, size): a changed value means a new store. */
    public static Object identityOf(Path file) throws IOException {
        return MappedFile.identityOf(Files.readAttributes(file, BasicFileAttributes.class));
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

    /** Hashes held: records of a full or compact store, keys of a filter. */
    public long hashes() {
        return filter != null ? filter.keys() : records.records();
    }

    public int presentRanges() {
        return filter != null ? filter.presentRanges() : records.presentRanges();
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** Whether the store has the range of {@code prefix} (every range, unless it was built partial, a filter too). */
    public boolean holds(int prefix) {
        return filter != null ? filter.holds(prefix) : records.holds(prefix);
    }

    /**
     * Times the hash was seen, 0 when the range (which must be {@link #holds held}) does not contain it. In a compact
     * store only the first 64 bits of the hash are compared. A filter store keeps no counts: a hash it may hold
     * answers its build threshold ({@link #minCount()}), a lower bound.
     */
    public int count(int prefix, byte[] packedSuffix) {
        if (filter != null) {
            return filter.mayContain(FilterFormat.key(prefix, packedSuffix)) ? filter.minCount() : 0;
        }
        return records.count(prefix, packedSuffix);
    }

    /**
     * The range of {@code prefix} in the cache's form, for the range endpoint and export; null when not
     * {@link #holds held}, or when the store is compact or a filter (neither can give back whole suffixes).
     */
    public CompactRange range(int prefix) {
        return records == null ? null : records.range(prefix);
    }

    /** Whether a filter store may hold the 64-bit key: false is certain, true is wrong about once in 65,536. */
    boolean mayContain(long key) {
        return filter.mayContain(key);
    }

    /** A filter store's build threshold: the count a hit answers (1 for the other kinds, which keep counts). */
    public int minCount() {
        return filter != null ? filter.minCount() : 1;
    }

    /** Copies a full or compact record's key bytes (the count's bits cleared) into {@code into}. */
    void keyAt(long record, byte[] into) {
        recordsOnly().keyAt(record, into);
    }

    /** Copies {@code n} whole records from {@code first} on, as stored (key and count bits), into {@code into} at {@code to}. */
    void copyRecords(long first, int n, byte[] into, int to) {
        recordsOnly().copyRecords(first, n, into, to);
    }

    /** The first record of {@code prefix}'s range; {@code rangeStart(prefix + 1)} is one past its last. */
    public long rangeStart(int prefix) {
        return recordsOnly().rangeStart(prefix);
    }

    /** Copies the packed suffix of a full store's record (its last nibble zero, the count's bits cleared) into {@code into} at {@code to}. */
    public void suffixAt(long record, byte[] into, int to) {
        recordsOnly().suffixAt(record, into, to);
    }

    public int countAt(long record) {
        return recordsOnly().countAt(record);
    }

    int overflowIndexFrom(long record) {
        return recordsOnly().overflowIndexFrom(record);
    }

    int overflowCountAt(int index, long record) {
        return recordsOnly().overflowCountAt(index, record);
    }

    private RecordReader recordsOnly() {
        if (records == null) {
            throw new StoreException(file + " is a filter: it has no records to read");
        }
        return records;
    }
}
