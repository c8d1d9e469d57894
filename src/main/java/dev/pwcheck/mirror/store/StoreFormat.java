package dev.pwcheck.mirror.store;

import dev.pwcheck.format.HashMode;

import java.nio.charset.StandardCharsets;

/**
 * The on-disk layout of a mirror store, one file per corpus ({@code sha1.pwstore}, {@code ntlm.pwstore}):
 *
 * <pre>
 * header      64 bytes: magic, version, mode, record width, record count, overflow count, created-at, CRC-32Cs
 * index       (2^20 + 1) unsigned ints: the first record of each prefix; entry 2^20 is the record count
 * presence    2^20 bits: which prefixes the store holds (a partial store answers for its ranges only)
 * records     fixed-width, sorted by prefix then suffix
 * overflow    (record number, count) int pairs, sorted, for counts too large for a record
 * </pre>
 *
 * A record is a key (an odd number of hex digits, packed) with a 12-bit count folded into the spare low nibble of
 * its last byte and one more byte. In a {@link Kind#FULL full} store the key is the whole suffix: 19 bytes a SHA-1
 * hash, 15 an NTLM one. In a {@link Kind#COMPACT compact} store it is the suffix's first 11 hex digits, so with the
 * 5 of the prefix the first 64 bits of the hash: 7 bytes a hash, whatever the corpus. The prefix is not stored (the
 * index says it), and the rare count of 4095 or more lives in the overflow table.
 *
 * <p>Header byte {@code H_KIND} says full or compact (0 in every store written before compact ones existed), and
 * {@code H_SUBSET} marks a store that holds only some hashes of its ranges ({@code mirror top}): such a store may
 * say "breached", never "clean", so it is never taken as the mirror.
 */
public final class StoreFormat {

    static final byte[] MAGIC = "PWCKSTOR".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    public static final int PREFIXES = 1 << 20;
    public static final int PREFIX_CHARS = 5;
    static final int HEADER_BYTES = 64;
    static final long INDEX_AT = HEADER_BYTES;
    static final long PRESENCE_AT = INDEX_AT + 4L * (PREFIXES + 1);
    public static final long RECORDS_AT = PRESENCE_AT + PREFIXES / 8;
    /** Largest count a record holds itself; the value above it says "see the overflow table". */
    public static final int MAX_INLINE_COUNT = 0xFFE;
    static final int OVERFLOW_MARK = 0xFFF;

    // Header field offsets.
    static final int H_VERSION = 8;
    static final int H_MODE = 12;
    static final int H_WIDTH = 13;
    static final int H_RECORDS = 16;
    static final int H_OVERFLOW = 24;
    public static final int H_CREATED = 32;
    static final int H_KIND = 14;
    static final int H_SUBSET = 15;
    static final int H_RECORDS_CRC = 40;
    static final int H_META_CRC = 44;

    /** Hex digits of the suffix a compact record keeps: with the prefix's 5, the first 64 bits of the hash. */
    static final int COMPACT_KEY_CHARS = 11;

    /** What a record's key holds. */
    public enum Kind {
        /** The whole suffix: lookups are exact, and the range endpoint can be served from the store. */
        FULL,
        /** The first 64 bits of the hash: about a third of the size; a match means the first 64 bits match. */
        COMPACT,
        /**
         * A binary fuse filter over the first 64 bits of the hashes seen at least its build threshold: about 2.3 bytes
         * a hash; "not in" is certain, "in" is wrong with probability about 2^-16, and no count is kept
         * ({@link FilterFormat}).
         */
        FILTER;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Kind of(byte value) {
            Kind[] kinds = values();
            if (value < 0 || value >= kinds.length) {
                throw new StoreException("unknown store kind " + value);
            }
            return kinds[value];
        }
    }

    private StoreFormat() {
    }

    /** Bytes of a record's key (its last byte's low nibble holds the top of the count). */
    static int keyBytes(HashMode mode, Kind kind) {
        return kind == Kind.FULL ? mode.suffixBytes() : (COMPACT_KEY_CHARS + 1) / 2;
    }

    static int recordBytes(HashMode mode, Kind kind) {
        return keyBytes(mode, kind) + 1;
    }

    public static String fileName(HashMode mode) {
        return mode.wire() + ".pwstore";
    }

    static byte modeByte(HashMode mode) {
        return (byte) mode.ordinal();
    }

    static HashMode modeOf(byte value) {
        HashMode[] modes = HashMode.values();
        if (value < 0 || value >= modes.length) {
            throw new StoreException("unknown corpus mode " + value);
        }
        return modes[value];
    }

    /**
     * The header fields every kind shares (magic, version, mode, width, kind, record count, created-at, the two
     * checksums); a writer adds its own fields to the buffer before writing it at offset 0.
     */
    static java.nio.ByteBuffer header(HashMode mode, int width, Kind kind, long records, int recordsCrc, int metaCrc) {
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(HEADER_BYTES);
        header.put(MAGIC)
                .putInt(H_VERSION, VERSION)
                .put(H_MODE, modeByte(mode))
                .put(H_WIDTH, (byte) width)
                .put(H_KIND, (byte) kind.ordinal())
                .putLong(H_RECORDS, records)
                .putLong(H_CREATED, System.currentTimeMillis())
                .putInt(H_RECORDS_CRC, recordsCrc)
                .putInt(H_META_CRC, metaCrc);
        header.clear();
        return header;
    }

    static long overflowAt(long records, int width) {
        return RECORDS_AT + records * width;
    }

    static long fileBytes(long records, int width, int overflow) {
        return overflowAt(records, width) + 8L * overflow;
    }
}
