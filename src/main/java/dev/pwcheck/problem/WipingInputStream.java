package dev.pwcheck.problem;

import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * A request body handed to the endpoint as a stream over an array of its own, which holds a password in clear: the
 * array is zeroed once read to its end, on close, or by {@link #wipe()} (when the exchange is over, for a body no one
 * read). A {@link java.io.ByteArrayInputStream} would have kept it until the collector came.
 */
final class WipingInputStream extends InputStream {

    private final byte[] bytes;
    private int position;

    WipingInputStream(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public synchronized int read() {
        if (position >= bytes.length) {
            wipe();
            return -1;
        }
        return bytes[position++] & 0xFF;
    }

    @Override
    public synchronized int read(byte[] into, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, into.length);
        if (length == 0) {
            return 0;
        }
        if (position >= bytes.length) {
            wipe();
            return -1;
        }
        int n = Math.min(length, bytes.length - position);
        System.arraycopy(bytes, position, into, offset, n);
        position += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return bytes.length - position;
    }

    @Override
    public void close() {
        wipe();
    }

    /** Zeroes the body; what is left unread reads as the end. */
    synchronized void wipe() {
        Arrays.fill(bytes, (byte) 0);
        position = bytes.length;
    }
}
