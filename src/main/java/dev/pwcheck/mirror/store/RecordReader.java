package dev.pwcheck.mirror.store;

import dev.pwcheck.format.CompactRange;
import dev.pwcheck.format.HashMode;

import static dev.pwcheck.mirror.store.StoreFormat.PREFIXES;

/**
 * Reads a full or compact store ({@link StoreFormat}): checks its size, index, presence bits and checksums, then
 * looks hashes up in the mapped records. A lookup reads two index entries and binary-searches one range (about
 * 1,800 records in today's corpus, so eleven probes).
 */
final class RecordReader {

    private final MappedFile map;
    private final HashMode mode;
    private final StoreFormat.Kind kind;
    private final int width;
    private final int suffixBytes;
    private final int keyBytes;
    private final long records;
    private final int overflowPairs;
    private final int presentRanges;

    /** @param verify also checksum every record (reads the whole file once, which also warms the page cache) */
    RecordReader(MappedFile map, HashMode mode, StoreFormat.Kind kind, boolean verify) {
        this.map = map;
        this.mode = mode;
        this.kind = kind;
        if (map.size < StoreFormat.RECORDS_AT) {
            throw new StoreException(map.file + " is truncated: shorter than a store header and index");
        }
        this.width = StoreFormat.recordBytes(mode, kind);
        this.keyBytes = StoreFormat.keyBytes(mode, kind);
        this.suffixBytes = mode.suffixBytes();
        if (map.byteAt(StoreFormat.H_WIDTH) != width) {
            throw new StoreException(map.file + " has a record width that does not match its mode and kind");
        }
        this.records = map.longAt(StoreFormat.H_RECORDS);
        this.overflowPairs = map.intAt(StoreFormat.H_OVERFLOW);
        if (records < 0 || records > 0xFFFF_FFFFL || overflowPairs < 0 || map.size != StoreFormat.fileBytes(records, width, overflowPairs)) {
            throw new StoreException(map.file + " is truncated or padded: its size does not match its header");
        }
        java.util.zip.CRC32C meta = new java.util.zip.CRC32C();
        map.update(meta, StoreFormat.INDEX_AT, StoreFormat.RECORDS_AT - StoreFormat.INDEX_AT);
        map.update(meta, StoreFormat.overflowAt(records, width), 8L * overflowPairs);
        if ((int) meta.getValue() != map.intAt(StoreFormat.H_META_CRC)) {
            throw new StoreException(map.file + " is corrupt: its index does not match its checksum");
        }
        this.presentRanges = checkIndex();
        if (verify && map.crcOf(StoreFormat.RECORDS_AT, records * width) != map.intAt(StoreFormat.H_RECORDS_CRC)) {
            throw new StoreException(map.file + " is corrupt: its records do not match their checksum");
        }
    }

    /** @return how many ranges the store holds, once the index is found in order and covering exactly the records */
    private int checkIndex() {
        long previous = 0;
        int present = 0;
        for (int p = 0; p <= PREFIXES; p++) {
            long start = rangeStart(p);
            if (start < previous || start > records) {
                throw new StoreException(map.file + " is corrupt: its index is not in order");
            }
            if (p < PREFIXES) {
                if (holds(p)) {
                    present++;
                } else if (rangeStart(p + 1) != start) {
                    throw new StoreException(map.file + " is corrupt: a range it does not hold has records");
                }
            }
            previous = start;
        }
        if (rangeStart(PREFIXES) != records) {
            throw new StoreException(map.file + " is corrupt: its index does not cover its records");
        }
        return present;
    }

    long records() {
        return records;
    }

    int presentRanges() {
        return presentRanges;
    }

    boolean holds(int prefix) {
        return (map.byteAt(StoreFormat.PRESENCE_AT + (prefix >>> 3)) & (1 << (prefix & 7))) != 0;
    }

    int count(int prefix, byte[] packedSuffix) {
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

    /** The range of a full store in the cache's form; null when it is not held or the store is compact. */
    CompactRange range(int prefix) {
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

    void keyAt(long record, byte[] into) {
        long at = recordAt(record);
        for (int b = 0; b < keyBytes; b++) {
            into[b] = map.byteAt(at + b);
        }
        into[keyBytes - 1] &= (byte) 0xF0;
    }

    void copyRecords(long first, int n, byte[] into, int to) {
        map.copy(recordAt(first), n * width, into, to);
    }

    long rangeStart(int prefix) {
        return Integer.toUnsignedLong(map.intAt(StoreFormat.INDEX_AT + 4L * prefix));
    }

    void suffixAt(long record, byte[] into, int to) {
        long at = recordAt(record);
        for (int b = 0; b < suffixBytes; b++) {
            into[to + b] = map.byteAt(at + b);
        }
        into[to + suffixBytes - 1] &= (byte) 0xF0;
    }

    int countAt(long record) {
        long at = recordAt(record) + keyBytes - 1;
        int inline = (map.byteAt(at) & 0x0F) << 8 | map.byteAt(at + 1) & 0xFF;
        return inline == StoreFormat.OVERFLOW_MARK ? overflowCount(record) : inline;
    }

    private long recordAt(long record) {
        return StoreFormat.RECORDS_AT + record * width;
    }

    private int compareAt(long record, byte[] packedSuffix) {
        long at = recordAt(record);
        for (int b = 0; b < keyBytes - 1; b++) {
            int cmp = Integer.compare(map.byteAt(at + b) & 0xFF, packedSuffix[b] & 0xFF);
            if (cmp != 0) {
                return cmp;
            }
        }
        return Integer.compare(map.byteAt(at + keyBytes - 1) & 0xF0, packedSuffix[keyBytes - 1] & 0xF0);
    }

    /** Position in the overflow table of the first pair for {@code record} or a later one. */
    int overflowIndexFrom(long record) {
        long base = StoreFormat.overflowAt(records, width);
        int low = 0;
        int high = overflowPairs;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (Integer.toUnsignedLong(map.intAt(base + 8L * mid)) < record) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** The count of overflow pair {@code index}, which must be {@code record}'s: a table walked in step with the records. */
    int overflowCountAt(int index, long record) {
        long base = StoreFormat.overflowAt(records, width);
        if (index >= overflowPairs || Integer.toUnsignedLong(map.intAt(base + 8L * index)) != record) {
            throw new StoreException(map.file + " is corrupt: a large count is missing from its overflow table");
        }
        return map.intAt(base + 8L * index + 4);
    }

    private int overflowCount(long record) {
        return overflowCountAt(overflowIndexFrom(record), record);
    }
}
