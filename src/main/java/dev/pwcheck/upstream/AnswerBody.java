package dev.pwcheck.upstream;

/**
 * An answer body as it arrives, decoded and held up to the size cap; the parser then reads it in place. Shared by the
 * service's upstream client and {@code mirror sync}, so both take gzip and hold the cap the same way.
 */
public interface AnswerBody {

    /** Takes the next {@code count} bytes off the wire; throws {@link UpstreamException} past the cap or on bad encoding. */
    void append(byte[] chunk, int from, int count);

    /** As {@link #append(byte[], int, int)}, for a chunk as the HTTP client hands it over. */
    default void append(io.vertx.core.buffer.Buffer chunk) {
        byte[] bytes = chunk.getBytes();
        append(bytes, 0, bytes.length);
    }

    /**
     * Takes the next bytes off {@code in}, through {@code scratch} (a body that can, reads them straight into place).
     *
     * @return the bytes taken off {@code in}, as sent, or -1 at its end
     */
    default int readFrom(java.io.InputStream in, byte[] scratch) throws java.io.IOException {
        int n = in.read(scratch, 0, scratch.length);
        if (n > 0) {
            append(scratch, 0, n);
        }
        return n;
    }

    /** The answer ended: throws {@link UpstreamException} when the encoding says it was cut short. */
    void finish();

    /** The answer was given up before its end: frees what the decoder holds. */
    void abandon();

    byte[] bytes();

    int length();

    /**
     * The body of a 200 as its headers describe it: refused before a byte is read when its Content-Length is over the
     * cap (as sent: a gzip body is then capped again on its decoded bytes), sized from it when it has one.
     */
    static AnswerBody forAnswer(String contentEncoding, String contentLength, int cap) {
        long declared = -1;
        if (contentLength != null) {
            try {
                declared = Long.parseLong(contentLength.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
        }
        if (declared > cap) {
            throw new UpstreamException(FailureCause.TOO_LARGE, "upstream range answer declares over " + cap + " bytes");
        }
        return forEncoding(contentEncoding, cap, (int) declared);
    }

    /** @param declaredLength the Content-Length (at most the cap), or -1 when the answer declared none */
    static AnswerBody forEncoding(String contentEncoding, int cap, int declaredLength) {
        return forEncoding(contentEncoding, cap, declaredLength, null);
    }

    /**
     * As {@link #forEncoding(String, int, int)}; a body sent as it is goes into {@code reuse} when that is large
     * enough (a caller that reads one answer at a time keeps the last body's {@link #bytes()} for the next).
     */
    static AnswerBody forEncoding(String contentEncoding, int cap, int declaredLength, byte[] reuse) {
        if (contentEncoding == null || contentEncoding.isBlank() || contentEncoding.trim().equalsIgnoreCase("identity")) {
            return new PlainBody(cap, declaredLength, reuse);
        }
        if (contentEncoding.trim().equalsIgnoreCase("gzip") || contentEncoding.trim().equalsIgnoreCase("x-gzip")) {
            return new GzipBody(cap);
        }
        // Only gzip is asked for; anything else cannot be read, and must not be parsed as if it were text.
        throw new UpstreamException(FailureCause.MALFORMED, "upstream range answer has an encoding that was not asked for");
    }

    /** An answer sent as it is: collected up to the cap. */
    final class PlainBody implements AnswerBody {
        private final int cap;
        private byte[] bytes;
        private int length;

        PlainBody(int cap, int declaredLength, byte[] reuse) {
            this.cap = cap;
            // Sized once when the answer says how long it is; the cap still holds whatever it then sends.
            int size = declaredLength >= 0 ? Math.max(1, declaredLength) : 16 * 1024;
            this.bytes = reuse != null && reuse.length >= size ? reuse : new byte[size];
        }

        @Override
        public void append(io.vertx.core.buffer.Buffer chunk) {
            int count = chunk.length();
            ensureRoom(count);
            chunk.getBytes(0, count, bytes, length); // straight into place, no copy in between
            length += count;
        }

        private void ensureRoom(int count) {
            if ((long) length + count > cap) {
                throw new UpstreamException(FailureCause.TOO_LARGE, "upstream range answer is over " + cap + " bytes");
            }
            if (length + count > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.min(cap, Math.max(bytes.length * 2, length + count)));
            }
        }

        /**
         * Reads the next bytes from {@code in} straight into place, up to the cap, with no copy through {@code scratch}.
         * A full array grows only when a byte past it comes: an answer as long as it declared ends with no copy.
         */
        @Override
        public int readFrom(java.io.InputStream in, byte[] scratch) throws java.io.IOException {
            int room = Math.min(bytes.length, cap) - length;
            if (room > 0) {
                int n = in.read(bytes, length, room);
                if (n > 0) {
                    length += n;
                }
                return n;
            }
            int next = in.read();
            if (next < 0) {
                return -1;
            }
            ensureRoom(1);
            bytes[length++] = (byte) next;
            return 1;
        }

        @Override
        public void append(byte[] chunk, int from, int count) {
            ensureRoom(count);
            System.arraycopy(chunk, from, bytes, length, count);
            length += count;
        }

        @Override
        public void finish() {
        }

        @Override
        public void abandon() {
        }

        @Override
        public byte[] bytes() {
            return bytes;
        }

        @Override
        public int length() {
            return length;
        }
    }
}
