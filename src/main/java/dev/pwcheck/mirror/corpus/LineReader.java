package dev.pwcheck.mirror.corpus;

import dev.pwcheck.mirror.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads lines of a large text file as bytes, without a String per line: a corpus file holds a billion lines.
 * Accepts LF or CRLF; a line longer than the limit is an error rather than a reason to buffer without end.
 */
final class LineReader {

    private final InputStream in;
    private final int maxLine;
    private byte[] buffer;
    private int start;
    private int end;
    private int filled;
    private int nextStart;
    private boolean eof;
    private long number;

    LineReader(InputStream in, int maxLine) {
        this(in, maxLine, new byte[1 << 20]);
    }

    /** Reads through {@code buffer} (which it may outgrow for a long line): a million small files need not cost a megabyte each. */
    LineReader(InputStream in, int maxLine, byte[] buffer) {
        this.in = in;
        this.maxLine = maxLine;
        this.buffer = buffer;
    }

    /** Advances to the next line; false at the end of input. A final line without a newline still counts. */
    boolean next() throws IOException {
        int from = nextStart;
        while (true) {
            int newline = indexOf((byte) '\n', from, filled);
            if (newline >= 0) {
                start = from;
                end = newline > from && buffer[newline - 1] == '\r' ? newline - 1 : newline;
                nextStart = newline + 1;
                number++;
                return true;
            }
            if (filled - from > maxLine) {
                throw new StoreException("line " + (number + 1) + " is longer than " + maxLine + " bytes");
            }
            if (eof) {
                if (from >= filled) {
                    return false;
                }
                start = from;
                end = filled > from && buffer[filled - 1] == '\r' ? filled - 1 : filled;
                nextStart = filled;
                number++;
                return true;
            }
            // Keep the partial line, read more behind it.
            int kept = filled - from;
            System.arraycopy(buffer, from, buffer, 0, kept);
            if (kept == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            filled = kept;
            from = 0;
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                eof = true;
            } else {
                filled += n;
            }
        }
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == b) {
                return i;
            }
        }
        return -1;
    }

    byte[] buffer() {
        return buffer;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    long number() {
        return number;
    }
}
