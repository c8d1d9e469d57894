package dev.pwcheck.upstream;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates a gzip-encoded answer as its chunks arrive, into at most {@code cap} bytes. The cap is on the decoded
 * size, checked while inflating: a small compressed bomb fails as too large after {@code cap + 1} decoded bytes,
 * however far it would have expanded, and never holds more than that in memory. Header, trailer, CRC-32 and length
 * are checked (RFC 1952); one member only, which is what a web server writes for one answer.
 */
final class GzipBody implements AnswerBody {

    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int FHCRC = 2;
    /** A header this long is no gzip a web server wrote. */
    private static final int MAX_HEADER = 4096;

    private final int cap;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] pending = new byte[MAX_HEADER];
    private int pendingLength;
    private boolean inHeader = true;
    private final byte[] trailer = new byte[8];
    private int trailerLength;
    private byte[] out = new byte[16 * 1024];
    private int length;

    GzipBody(int cap) {
        this.cap = cap;
    }

    @Override
    public void append(byte[] chunk, int from, int count) {
        try {
            if (inHeader) {
                int take = Math.min(count, pending.length - pendingLength);
                System.arraycopy(chunk, from, pending, pendingLength, take);
                pendingLength += take;
                int headerEnd = headerEnd();
                if (headerEnd < 0) {
                    if (pendingLength == pending.length) {
                        throw malformed("gzip header too long");
                    }
                    return;
                }
                inHeader = false;
                // What followed the header in this chunk (and in the chunks already buffered) is deflate data.
                byte[] rest = java.util.Arrays.copyOfRange(pending, headerEnd, pendingLength);
                inflate(rest, 0, rest.length);
                if (take < count) {
                    inflate(chunk, from + take, count - take);
                }
                return;
            }
            inflate(chunk, from, count);
        } catch (RuntimeException e) {
            inflater.end();
            throw e;
        }
    }

    private void inflate(byte[] chunk, int from, int count) {
        if (inflater.finished()) {
            trailer(chunk, from, count);
            return;
        }
        inflater.setInput(chunk, from, count);
        try {
            while (!inflater.finished()) {
                if (length == out.length) {
                    if (length > cap) {
                        throw tooLarge();
                    }
                    // Never more room than one byte past the cap: that byte is what proves the answer too large.
                    out = java.util.Arrays.copyOf(out, (int) Math.min((long) out.length * 2, (long) cap + 1));
                }
                int n = inflater.inflate(out, length, out.length - length);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                crc.update(out, length, n);
                length += n;
                if (length > cap) {
                    throw tooLarge();
                }
            }
        } catch (DataFormatException e) {
            throw malformed("gzip data is corrupt");
        }
        if (inflater.finished()) {
            int remaining = inflater.getRemaining();
            trailer(chunk, from + count - remaining, remaining);
        }
    }

    private void trailer(byte[] chunk, int from, int count) {
        if (trailerLength + count > trailer.length) {
            throw malformed("data after the gzip trailer");
        }
        System.arraycopy(chunk, from, trailer, trailerLength, count);
        trailerLength += count;
    }

    @Override
    public byte[] bytes() {
        return out;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void finish() {
        try {
            if (inHeader || !inflater.finished() || trailerLength != trailer.length) {
                throw malformed("gzip answer ended early");
            }
            if (littleEndianInt(0) != (int) crc.getValue() || littleEndianInt(4) != length) {
                throw malformed("gzip checksum or length does not match");
            }
        } finally {
            inflater.end();
        }
    }

    @Override
    public void abandon() {
        inflater.end();
    }

    private int littleEndianInt(int at) {
        return (trailer[at] & 0xff) | (trailer[at + 1] & 0xff) << 8 | (trailer[at + 2] & 0xff) << 16 | (trailer[at + 3] & 0xff) << 24;
    }

    /** @return where the deflate data starts in {@link #pending}, or -1 while the header is still incomplete */
    private int headerEnd() {
        if (pendingLength < 10) {
            return -1;
        }
        if ((pending[0] & 0xff) != 0x1f || (pending[1] & 0xff) != 0x8b || pending[2] != 8) {
            throw malformed("not a gzip answer");
        }
        int flags = pending[3] & 0xff;
        int at = 10;
        if ((flags & FEXTRA) != 0) {
            if (pendingLength < at + 2) {
                return -1;
            }
            at += 2 + ((pending[at] & 0xff) | (pending[at + 1] & 0xff) << 8);
        }
        for (int flag : new int[] {FNAME, FCOMMENT}) {
            if ((flags & flag) != 0) {
                while (at < pendingLength && pending[at] != 0) {
                    at++;
                }
                if (at >= pendingLength) {
                    return -1;
                }
                at++;
            }
        }
        if ((flags & FHCRC) != 0) {
            at += 2;
        }
        return at <= pendingLength ? at : -1;
    }

    private UpstreamException tooLarge() {
        return new UpstreamException(FailureCause.TOO_LARGE, "upstream range answer decodes to over " + cap + " bytes");
    }

    private static UpstreamException malformed(String why) {
        return new UpstreamException(FailureCause.MALFORMED, "upstream range answer is not usable gzip: " + why);
    }
}
