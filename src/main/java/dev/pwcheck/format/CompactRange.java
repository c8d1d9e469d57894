package dev.pwcheck.format;

import dev.pwcheck.hash.Hex;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * One range (all hashes sharing a 5-hex prefix) in the form the cache keeps: a single sorted byte array of
 * fixed-width records, the packed suffix (18 bytes for SHA-1, 14 for NTLM) followed by a 4-byte big-endian
 * count. About 22 bytes a SHA-1 hash where the upstream's text takes 40 and a {@code Map<String,Integer>} over
 * 100. Padding (count 0) never gets here: the parser drops it, so every entry stored is a real breach count.
 */
public final class CompactRange {

    /** Object header + array reference + width, and the array header, as a 64-bit JVM with compressed oops lays them out. */
    private static final int FIXED_OVERHEAD = 24 + 16;
    private static final int INTERPOLATION_STEPS = 4;
    private static final VarHandle LONG_VIEW = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final Map<HashMode, CompactRange> EMPTY = new EnumMap<>(HashMode.class);

    static {
        for (HashMode mode : HashMode.values()) {
            EMPTY.put(mode, new CompactRange(new byte[0], mode.suffixBytes()));
        }
    }

    /** Bytes of one record for ranges of {@code mode}. */
    public static int entryBytes(HashMode mode) {
        return mode.suffixBytes() + Integer.BYTES;
    }

    private final byte[] entries;
    private final int suffixBytes;

    private CompactRange(byte[] entries, int suffixBytes) {
        this.entries = entries;
        this.suffixBytes = suffixBytes;
    }

    public static CompactRange empty(HashMode mode) {
        return EMPTY.get(mode);
    }

    /**
     * Builds a range from records laid out as described above, in any order. Duplicate suffixes keep the
     * highest count, so a repeated line can never lower a breach count.
     */
    static CompactRange of(HashMode mode, byte[] records, int size) {
        if (size == 0) {
            return empty(mode);
        }
        return isStrictlySorted(records, size, mode.suffixBytes())
                ? ofSorted(mode, records, size)
                : new CompactRange(sortMerging(records, size, mode.suffixBytes()), mode.suffixBytes());
    }

    /** As {@link #of}, for records the caller has seen strictly increase (the parser checks as it goes). */
    static CompactRange ofSorted(HashMode mode, byte[] records, int size) {
        if (size == 0) {
            return empty(mode);
        }
        int length = size * entryBytes(mode);
        return new CompactRange(length == records.length ? records : Arrays.copyOf(records, length), mode.suffixBytes());
    }

    public int size() {
        return entries.length / entryBytes();
    }

    private int entryBytes() {
        return suffixBytes + Integer.BYTES;
    }

    /**
     * Times the hash with this packed suffix was seen in breaches; 0 when the range does not hold it.
     * Suffixes are hash bits, so they are spread evenly: interpolating on the first 8 bytes lands next to the
     * answer in two or three probes where a binary search takes ten, and each probe into a range that is not in
     * the CPU cache is a memory stall. A few interpolation steps at most, then binary search, so an upstream that
     * sent skewed data costs a slower lookup, never a wrong one.
     */
    public int count(byte[] packedSuffix) {
        int width = entryBytes();
        int low = 0;
        int high = size() - 1;
        long key = firstLong(packedSuffix, 0);
        // Known bounds of the values in [low, high]: the whole key space until probes narrow it.
        long lowValue = 0;
        long highValue = -1L;
        for (int step = 0; step < INTERPOLATION_STEPS && high - low > 8; step++) {
            double fraction = unsignedToDouble(key - lowValue) / unsignedToDouble(highValue - lowValue);
            int mid = low + (int) Math.min(high - low, Math.max(0, fraction * (high - low)));
            int cmp = compareAt(mid, packedSuffix);
            if (cmp == 0) {
                return countAt(mid);
            }
            long midValue = firstLong(entries, mid * width);
            if (cmp < 0) {
                low = mid + 1;
                lowValue = midValue;
            } else {
                high = mid - 1;
                highValue = midValue;
            }
            if (Long.compareUnsigned(lowValue, key) > 0 || Long.compareUnsigned(key, highValue) > 0) {
                return 0;
            }
        }
        while (low <= high) {
            int mid = (low + high) >>> 1;
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

    private int compareAt(int index, byte[] packedSuffix) {
        int at = index * entryBytes();
        return Arrays.compareUnsigned(entries, at, at + suffixBytes, packedSuffix, 0, suffixBytes);
    }

    private static long firstLong(byte[] bytes, int at) {
        return (long) LONG_VIEW.get(bytes, at);
    }

    private static double unsignedToDouble(long value) {
        return (double) (value >>> 1) * 2.0 + (value & 1);
    }

    public int countAt(int index) {
        return readCount(entries, index * entryBytes() + suffixBytes);
    }

    /** Appends the suffix of entry {@code index} in uppercase hex (35 digits for SHA-1, 27 for NTLM). */
    public void appendSuffix(int index, StringBuilder out) {
        Hex.appendSuffix(entries, index * entryBytes(), suffixChars(), out);
    }

    public int suffixChars() {
        return 2 * suffixBytes - 1;
    }

    /** Heap this range occupies, the weight the byte-bounded cache charges for it. */
    public int heapBytes() {
        return FIXED_OVERHEAD + entries.length;
    }

    /** A digest of the entries, for validators (ETag): equal ranges give equal fingerprints. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(entries);
            return Hex.upper(Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The records as stored (sorted; not to be changed): the shared cache tier persists exactly these bytes. */
    public byte[] records() {
        return entries;
    }

    static int readCount(byte[] records, int at) {
        return (records[at] & 0xFF) << 24 | (records[at + 1] & 0xFF) << 16 | (records[at + 2] & 0xFF) << 8 | records[at + 3] & 0xFF;
    }

    static void writeCount(byte[] records, int at, int count) {
        records[at] = (byte) (count >>> 24);
        records[at + 1] = (byte) (count >>> 16);
        records[at + 2] = (byte) (count >>> 8);
        records[at + 3] = (byte) count;
    }

    private static int compareSuffix(byte[] a, int i, byte[] b, int j, int suffixBytes) {
        int width = suffixBytes + Integer.BYTES;
        return Arrays.compareUnsigned(a, i * width, i * width + suffixBytes, b, j * width, j * width + suffixBytes);
    }

    private static boolean isStrictlySorted(byte[] records, int size, int suffixBytes) {
        for (int i = 1; i < size; i++) {
            if (compareSuffix(records, i - 1, records, i, suffixBytes) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] sortMerging(byte[] records, int size, int suffixBytes) {
        int width = suffixBytes + Integer.BYTES;
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> compareSuffix(records, x, records, y, suffixBytes));
        byte[] out = new byte[size * width];
        int n = 0;
        for (int i = 0; i < size; i++) {
            int src = order[i];
            if (n > 0 && compareSuffix(out, n - 1, records, src, suffixBytes) == 0) {
                int countAt = (n - 1) * width + suffixBytes;
                int other = readCount(records, src * width + suffixBytes);
                writeCount(out, countAt, Math.max(readCount(out, countAt), other));
                continue;
            }
            System.arraycopy(records, src * width, out, n * width, width);
            n++;
        }
        return n == size ? out : Arrays.copyOf(out, n * width);
    }

    /** Puts the records (sorted, fixed width) into {@code out}: the mirror's sync journal keeps them in this form. */
    public void writeRecordsTo(java.nio.ByteBuffer out) {
        out.put(entries);
    }

    /** Bytes {@link #writeRecordsTo} puts. */
    public int recordsLength() {
        return entries.length;
    }


    /** Copies the packed suffix of entry {@code index} (as {@code Hex.packSuffix} lays it out) into {@code dst}. */
    public void packedSuffixAt(int index, byte[] dst) {
        System.arraycopy(entries, index * entryBytes(), dst, 0, suffixBytes);
    }

    /**
     * Rebuilds a range from {@link #records()} read back from the shared tier or a mirror store, refusing
     * anything malformed.
     */
    public static CompactRange fromRecords(HashMode mode, byte[] records) {
        int width = entryBytes(mode);
        if (records.length % width != 0) {
            throw new IllegalArgumentException("range records are not a whole number of entries");
        }
        int size = records.length / width;
        if (!isStrictlySorted(records, size, mode.suffixBytes())) {
            throw new IllegalArgumentException("range records are not sorted");
        }
        CompactRange range = new CompactRange(records, mode.suffixBytes());
        for (int i = 0; i < size; i++) {
            if (range.countAt(i) <= 0 || (records[i * width + mode.suffixBytes() - 1] & 0x0F) != 0) {
                throw new IllegalArgumentException("range records hold an invalid entry");
            }
        }
        return size == 0 ? empty(mode) : range;
    }
}
