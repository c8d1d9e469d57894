package dev.pwcheck.upstream;

/** An answer body as it arrives, decoded and held up to the size cap; the parser then reads it in place. */
interface AnswerBody {

    /** Takes the next {@code count} bytes off the wire; throws {@link UpstreamException} past the cap or on bad encoding. */
    void append(byte[] chunk, int from, int count);

    /** The answer ended: throws {@link UpstreamException} when the encoding says it was cut short. */
    void finish();

    /** The answer was given up before its end: frees what the decoder holds. */
    void abandon();

    byte[] bytes();

    int length();

    static AnswerBody forEncoding(String contentEncoding, int cap) {
        if (contentEncoding == null || contentEncoding.isBlank() || contentEncoding.trim().equalsIgnoreCase("identity")) {
            return new PlainBody(cap);
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
        private byte[] bytes = new byte[16 * 1024];
        private int length;

        PlainBody(int cap) {
            this.cap = cap;
        }

        @Override
        public void append(byte[] chunk, int from, int count) {
            if ((long) length + count > cap) {
                throw new UpstreamException(FailureCause.TOO_LARGE, "upstream range answer is over " + cap + " bytes");
            }
            if (length + count > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.min(cap, Math.max(bytes.length * 2, length + count)));
            }
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
