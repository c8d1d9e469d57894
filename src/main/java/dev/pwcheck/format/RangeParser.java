package dev.pwcheck.format;

import dev.pwcheck.hash.Hex;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads an upstream range answer as untrusted input. Every line must be {@code ^[0-9A-Fa-f]{35}:[0-9]+$} (27 hex
 * digits for NTLM; CRLF or LF); one bad line rejects the whole answer, because a half-used range would answer "clean" for hashes it lost.
 */
public final class RangeParser {

    /** Digits in the largest count we store (an int); longer counts are not a real corpus. */
    private static final int MAX_COUNT_DIGITS = 10;

    private static final VarHandle LITTLE_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LITTLE_INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    /**
     * The records are parsed into an array of this thread's (up to this size) and only an exact copy is kept: the
     * array sized for the most lines an answer could hold was allocated and zeroed for every answer, then copied.
     */
    private static final int SCRATCH_KEPT_BYTES = 512 << 10;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[64 << 10]);

    private final HashMode mode;

    private final int maxBytes;
    private final int maxLines;

    public RangeParser(HashMode mode, int maxBytes, int maxLines) {
        this.mode = mode;
        this.maxBytes = maxBytes;
        this.maxLines = maxLines;
    }

    /** @throws RangeFormatException MALFORMED or TOO_LARGE */
    public CompactRange parse(byte[] body) {
        return parse(body, body.length);
    }

    /**
     * As {@link #parse(byte[])}, reading only the first {@code length} bytes of {@code body}. One pass over the bytes,
     * each line read where it stands (suffix, colon, digits, line end) with no separate search for its end: the
     * parse is most of what a cold check or a sync computes.
     */
    public CompactRange parse(byte[] body, int length) {
        if (length > maxBytes) {
            throw new RangeFormatException(RangeFormatException.Kind.TOO_LARGE, "upstream range answer is over " + maxBytes + " bytes");
        }
        int width = CompactRange.entryBytes(mode);
        int suffixChars = mode.suffixChars();
        int suffixBytes = mode.suffixBytes();
        // Whole groups of 8 digits in a suffix: 4 for SHA-1, 3 for NTLM (the order check needs 2).
        int words = suffixChars / 8;
        // Room for every line the answer can hold (each takes at least suffixChars + 3 bytes but the last) or for
        // maxLines, whichever is less: past maxLines the answer is refused, so the records never outgrow this.
        byte[] records = scratch(Math.min(estimateLines(length), maxLines) * width);
        // The last place a line can start and still hold a suffix, a colon and a digit.
        int lastStart = length - suffixChars - 2;
        int stored = 0;
        int lines = 0;
        int pos = 0;
        // Whether the records so far strictly increase, judged on their first 8 bytes (a tie is rare: compared whole).
        boolean sorted = true;
        long previousFirst = 0;
        while (pos < length) {
            if (++lines > maxLines) {
                throw new RangeFormatException(RangeFormatException.Kind.TOO_LARGE, "upstream range answer is over " + maxLines + " lines");
            }
            int at = stored * width;
            // The suffix (an odd number of digits: the last fills a high nibble), then ':' and at least one digit.
            if (pos > lastStart) {
                throw malformed();
            }
            int p = pos;
            // Eight digits at a time: read as one little-endian long (digit i in byte i), checked and decoded in its
            // eight lanes at once, and the four bytes they spell stored with one write. Written out here rather than
            // called: the sync runs this with the JVM's simple compiler, which inlines only tiny methods. Lanes are
            // judged by range (digitLanes) on 0x00..0x7F, so no sum carries; a lane with the top bit set is bad anyway.
            long badLanes = 0;
            long first = 0;
            for (int w = 0; w < words; w++, p += 8) {
                long x = (long) LITTLE_LONGS.get(body, p);
                long ascii = x & ~HIGH_BITS;
                long lower = ascii | 0x20 * ONES;
                // Digits are judged as they are, letters folded to lower case (only 'A'..'F' fold onto 'a'..'f').
                long digit = digitLanes(ascii);
                long letter = (lower + (0x80 - 'a') * ONES) & ~(lower + (0x7F - 'f') * ONES);
                badLanes |= ~(digit | letter) | x;
                // '0'..'9' are their low nibble; letters (bit 6 set) their low nibble plus 9.
                long nibbles = (x & 0x0F * ONES) + (x >>> 6 & ONES) * 9;
                // Each even lane takes the odd lane after it as its low nibble; then the even lanes are gathered.
                long bytes = (nibbles << 4 | nibbles >>> 8) & 0x00FF00FF00FF00FFL;
                bytes = (bytes | bytes >>> 8) & 0x0000FFFF0000FFFFL;
                bytes = (bytes | bytes >>> 16) & 0xFFFFFFFFL;
                LITTLE_INTS.set(records, at + 4 * w, (int) bytes);
                if (w < 2) {
                    first |= bytes << (32 * w);
                }
            }
            // The order is checked on the first 8 record bytes as one number, first byte highest.
            first = Long.reverseBytes(first);
            int bad = 0;
            for (int i = 4 * words; i < suffixBytes - 1; i++, p += 2) {
                int v = Hex.pair(body[p], body[p + 1]);
                bad |= v;
                records[at + i] = (byte) v;
            }
            int last = Hex.nibble(body[p++]);
            if ((badLanes & HIGH_BITS) != 0 || (bad | last) < 0 || body[p++] != ':') {
                throw malformed();
            }
            records[at + suffixBytes - 1] = (byte) (last << 4);
            long count = -1;
            int digits = 0;
            if (p + Long.BYTES <= length) {
                // The count the same way: its digits are the lanes before the first that is not one.
                long x = (long) LITTLE_LONGS.get(body, p);
                long nonDigit = (~digitLanes(x & ~HIGH_BITS) | x) & HIGH_BITS;
                digits = Long.numberOfTrailingZeros(nonDigit) >>> 3;
                if (digits == 0) {
                    throw malformed();
                }
                if (digits < Long.BYTES) {
                    // Moved up so the digits fill the top lanes and zero lanes lead; then lanes are paired by tens,
                    // hundreds and ten-thousands (each product lands in the upper lane of its pair).
                    long v = (x << (Long.SIZE - Long.BYTES * digits)) & 0x0F * ONES;
                    v = v * (10 * 256 + 1) >>> 8 & 0x00FF00FF00FF00FFL;
                    v = v * (100 * 65536 + 1) >>> 16 & 0x0000FFFF0000FFFFL;
                    count = v * (10000L * (1L << 32) + 1) >>> 32;
                }
            }
            if (count < 0) {
                // 8 digits or more, or too near the end of the answer for a long: one digit at a time.
                long read = decimal(body, p, length);
                count = read >>> 8;
                digits = (int) read & 0xFF;
            }
            p += digits;
            // The line ends in LF, CRLF, or (the last line) the end of the answer, with or without a CR.
            if (p < length) {
                if (body[p] == '\r') {
                    p++;
                }
                if (p < length) {
                    if (body[p] != '\n') {
                        throw malformed();
                    }
                    p++;
                }
            }
            if (count > 0) {
                // CompactRange.writeCount's layout, written out: at 36 bytes of bytecode it is one more than C1 inlines.
                int c = (int) count;
                records[at + suffixBytes] = (byte) (c >>> 24);
                records[at + suffixBytes + 1] = (byte) (c >>> 16);
                records[at + suffixBytes + 2] = (byte) (c >>> 8);
                records[at + suffixBytes + 3] = (byte) c;
                if (sorted && stored > 0) {
                    // Unsigned order: flipping the sign bit maps it onto signed order.
                    long a = previousFirst ^ Long.MIN_VALUE;
                    long b = first ^ Long.MIN_VALUE;
                    sorted = a < b || a == b && Arrays.compareUnsigned(records, at - width, at - width + suffixBytes, records, at, at + suffixBytes) < 0;
                }
                previousFirst = first;
                stored++;
            }
            pos = p;
        }
        // An exact copy, never the scratch array itself: the next parse on this thread writes over that.
        byte[] exact = Arrays.copyOf(records, stored * width);
        return sorted ? CompactRange.ofSorted(mode, exact, stored) : CompactRange.of(mode, exact, stored);
    }

    private static byte[] scratch(int bytes) {
        if (bytes > SCRATCH_KEPT_BYTES) {
            return new byte[bytes];
        }
        byte[] scratch = SCRATCH.get();
        if (scratch.length < bytes) {
            scratch = new byte[Math.min(SCRATCH_KEPT_BYTES, Math.max(bytes, 2 * scratch.length))];
            SCRATCH.set(scratch);
        }
        return scratch;
    }

    /**
     * Reads one {@code SUFFIX:COUNT} line ({@code suffixChars} hex digits, any case; a count of 1 to 10 digits that
     * fits an int) from {@code line[from, to)}, packing the suffix into {@code packed} at {@code at}. Shared by the
     * upstream parser and the mirror import, so both accept exactly the same lines.
     *
     * @return the count (0 for padding), or -1 when the line is malformed ({@code packed} is then partly written)
     */
    public static int parseLine(byte[] line, int from, int to, int suffixChars, byte[] packed, int at) {
        int colon = from + suffixChars;
        int digits = to - colon - 1;
        if (colon >= to || line[colon] != ':' || digits < 1 || digits > MAX_COUNT_DIGITS
                || !Hex.packSuffix(line, from, packed, at, suffixChars)) {
            return -1;
        }
        long count = 0;
        for (int i = colon + 1; i < to; i++) {
            int d = line[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            count = count * 10 + d;
        }
        return count > Integer.MAX_VALUE ? -1 : (int) count;
    }

    /**
     * The top bit of each lane of {@code ascii} (lanes of 0x00..0x7F) that holds '0'..'9': a lane v is in [lo, hi]
     * when v + (0x80 - lo) sets its top bit and v + (0x7F - hi) does not, and no sum carries into the next lane.
     */
    private static long digitLanes(long ascii) {
        return (ascii + (0x80 - '0') * ONES) & ~(ascii + (0x7F - '9') * ONES);
    }

    /**
     * A count of 8 digits or more, or one at the very end of the answer, read digit by digit (up to 10 of them).
     *
     * @return the count, shifted up 8 bits, above the number of its digits (a parser holds no state: threads share it)
     */
    private long decimal(byte[] body, int from, int length) {
        long count = 0;
        int p = from;
        int end = Math.min(length, from + MAX_COUNT_DIGITS + 1);
        while (p < end) {
            int d = body[p] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            count = count * 10 + d;
            p++;
        }
        if (p == from || p - from > MAX_COUNT_DIGITS || count > Integer.MAX_VALUE) {
            throw malformed();
        }
        return count << 8 | (p - from);
    }

    private int estimateLines(int length) {
        // A line is at least the suffix, ':', one digit and LF; real answers have a few digits more.
        return length / (mode.suffixChars() + 3) + 1;
    }

    private static RangeFormatException malformed() {
        return new RangeFormatException(RangeFormatException.Kind.MALFORMED, "upstream range answer is not lines of SUFFIX:COUNT");
    }
}
