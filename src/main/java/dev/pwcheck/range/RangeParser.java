package dev.pwcheck.range;

import dev.pwcheck.hash.Hex;
import dev.pwcheck.upstream.FailureCause;
import dev.pwcheck.upstream.UpstreamException;

import java.util.Arrays;

/**
 * Reads an upstream range answer as untrusted input. Every line must be {@code ^[0-9A-Fa-f]{35}:[0-9]+$} (27 hex
 * digits for NTLM; CRLF or LF); one bad line rejects the whole answer, because a half-used range would answer "clean" for hashes it lost.
 */
public final class RangeParser {

    /** Digits in the largest count we store (an int); longer counts are not a real corpus. */
    private static final int MAX_COUNT_DIGITS = 10;

    private final HashMode mode;
    private final int maxBytes;
    private final int maxLines;

    public RangeParser(HashMode mode, int maxBytes, int maxLines) {
        this.mode = mode;
        this.maxBytes = maxBytes;
        this.maxLines = maxLines;
    }

    /** @throws UpstreamException MALFORMED or TOO_LARGE */
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
            throw new UpstreamException(FailureCause.TOO_LARGE, "upstream range answer is over " + maxBytes + " bytes");
        }
        int width = CompactRange.entryBytes(mode);
        int suffixChars = mode.suffixChars();
        int suffixBytes = mode.suffixBytes();
        // Room for every line the answer can hold (each takes at least suffixChars + 3 bytes but the last) or for
        // maxLines, whichever is less: past maxLines the answer is refused, so the records never outgrow this.
        byte[] records = new byte[Math.min(estimateLines(length), maxLines) * width];
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
                throw new UpstreamException(FailureCause.TOO_LARGE, "upstream range answer is over " + maxLines + " lines");
            }
            int at = stored * width;
            // The suffix (an odd number of digits: the last fills a high nibble), then ':' and at least one digit.
            if (pos > lastStart) {
                throw malformed();
            }
            int p = pos;
            // Each pair of digits is one table lookup; a bad digit makes its value negative, and the OR of all of
            // them is checked once a line. The first 8 bytes also make the long the sort order is checked on.
            int bad = 0;
            long first = 0;
            for (int i = 0; i < Long.BYTES; i++, p += 2) {
                int v = Hex.pair(body[p], body[p + 1]);
                bad |= v;
                records[at + i] = (byte) v;
                first = first << 8 | (v & 0xff);
            }
            for (int i = Long.BYTES; i < suffixBytes - 1; i++, p += 2) {
                int v = Hex.pair(body[p], body[p + 1]);
                bad |= v;
                records[at + i] = (byte) v;
            }
            int last = Hex.nibble(body[p++]);
            if ((bad | last) < 0 || body[p++] != ':') {
                throw malformed();
            }
            records[at + suffixBytes - 1] = (byte) (last << 4);
            long count = 0;
            int digitsEnd = Math.min(length, p + MAX_COUNT_DIGITS + 1);
            int start = p;
            while (p < digitsEnd) {
                int d = body[p] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                count = count * 10 + d;
                p++;
            }
            if (p == start || p - start > MAX_COUNT_DIGITS || count > Integer.MAX_VALUE) {
                throw malformed();
            }
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
                CompactRange.writeCount(records, at + suffixBytes, (int) count);
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
        return sorted ? CompactRange.ofSorted(mode, records, stored) : CompactRange.of(mode, records, stored);
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

    private int estimateLines(int length) {
        // A line is at least the suffix, ':', one digit and LF; real answers have a few digits more.
        return length / (mode.suffixChars() + 3) + 1;
    }

    private static UpstreamException malformed() {
        return new UpstreamException(FailureCause.MALFORMED, "upstream range answer is not lines of SUFFIX:COUNT");
    }
}
