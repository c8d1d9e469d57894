package dev.pwcheck.mirror.sync;

import dev.pwcheck.upstream.AnswerBody;
import dev.pwcheck.upstream.UpstreamException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;

/**
 * One worker's keep-alive HTTP/1.1 connection: one request at a time, its answer read with a {@link ResponseReader}
 * into a buffer kept for the connection's life, and the socket kept for the next request when the answer allows.
 * Used from one thread; the watchdog ({@link #expireIfLate}) and a stopping sync ({@link #close()}) may close it from
 * another, which fails a blocked read at once.
 *
 * <p>A reused connection that the server closed before a byte of the answer (its keep-alive limit or idle timeout
 * racing the request) gets the request again at once on a fresh connection, once: a GET is safe to repeat, and the
 * server never acted on it.
 */
final class SyncConnection implements Closeable {

    /** Bytes taken off the socket at once: more than a range answer's usual arrival, a small part of the answer. */
    private static final int READ_BYTES = 64 << 10;

    private final SyncHttp http;
    private final ResponseReader reader;
    private final byte[] input = new byte[READ_BYTES];
    /** The TCP socket under {@link #socket} (the same one without TLS): what the watchdog closes. */
    private volatile Socket raw;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    /** Answers read whole on the current socket: only a reused one can have gone stale. */
    private int answered;
    /** When the request in flight went out, and when a byte last came for it; 0 while idle. Guarded by this. */
    private long busySince;
    private volatile long lastByte;
    /** Why the watchdog closed the socket under the request in flight; null when it did not. Guarded by this. */
    private String expired;

    SyncConnection(SyncHttp http, int maxBodyBytes) {
        this.http = http;
        this.reader = new ResponseReader(maxBodyBytes);
    }

    /**
     * GETs {@code path}, with {@code If-None-Match: etag} when it is not null, and reads the whole answer. Its body
     * is read into the array the last answer's was, so it must be used before the next call.
     */
    SyncHttp.Answer get(String path, String etag) throws SyncHttp.Failure {
        byte[] request = http.request(path, etag);
        try {
            return exchange(request);
        } catch (Stale stale) {
            try {
                return exchange(request);
            } catch (Stale again) {
                throw new SyncHttp.Failure(false, again.getMessage());
            }
        }
    }

    private SyncHttp.Answer exchange(byte[] request) throws SyncHttp.Failure, Stale {
        begin();
        try {
            return exchangeWhileWatched(request);
        } finally {
            end();
        }
    }

    private SyncHttp.Answer exchangeWhileWatched(byte[] request) throws SyncHttp.Failure, Stale {
        try {
            if (socket != null && !usable()) {
                drop();
            }
            if (socket == null) {
                open();
            }
        } catch (IOException e) {
            drop();
            throw new SyncHttp.Failure(false, why(SyncHttp.describe(e)));
        } finally {
            lastByte = System.nanoTime();
        }
        reader.reset();
        try {
            out.write(request);
            while (true) {
                int n = in.read(input, 0, input.length);
                lastByte = System.nanoTime();
                if (n < 0) {
                    return closedAnswer();
                }
                int end = reader.feed(input, 0, n);
                if (reader.done()) {
                    answered++;
                    SyncHttp.Answer answer = answerRead();
                    if (!reader.keepAlive() || end != n) {
                        drop();
                    }
                    return answer;
                }
            }
        } catch (UpstreamException e) {
            abandon();
            throw new SyncHttp.Failure(true, e.getMessage());
        } catch (IOException e) {
            throw lost(why(SyncHttp.describe(e)));
        }
    }

    /** Whether the kept socket can carry the next request: still open, and no byte waiting that no request asked for. */
    private boolean usable() {
        try {
            // Bytes no request asked for mean the connection is out of step: nothing on it can be trusted now.
            return !socket.isClosed() && in.available() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The server closed the connection: a body that runs to the close is whole now; anything else was cut short. */
    private SyncHttp.Answer closedAnswer() throws SyncHttp.Failure, Stale {
        try {
            reader.closed();
        } catch (UpstreamException e) {
            throw lost(why(e.getMessage()));
        }
        SyncHttp.Answer answer = answerRead();
        drop();
        return answer;
    }

    /** The connection is gone before the answer was whole: stale when it was reused, no byte came, and it was not timed out. */
    private SyncHttp.Failure lost(String why) throws Stale {
        boolean stale = answered > 0 && !reader.started() && !timedOut();
        abandon();
        if (stale) {
            throw new Stale(why);
        }
        return new SyncHttp.Failure(false, why);
    }

    private void open() throws IOException {
        Socket plain = new Socket();
        raw = plain;
        Socket opened = http.open(plain);
        in = opened.getInputStream();
        out = opened.getOutputStream();
        answered = 0;
        socket = opened;
    }

    private synchronized void begin() {
        expired = null;
        busySince = System.nanoTime();
        lastByte = busySince;
    }

    private synchronized void end() {
        busySince = 0;
    }

    private synchronized boolean timedOut() {
        return expired != null;
    }

    /** What a failure is reported as: the timeout, when the watchdog is why the socket closed. */
    private synchronized String why(String failure) {
        return expired != null ? expired : failure;
    }

    /**
     * Called by the watchdog: closes the socket under a request that has had no byte for {@code idleNanos}, or no
     * whole answer for {@code deadlineNanos}.
     */
    synchronized void expireIfLate(long now, long idleNanos, long deadlineNanos) {
        if (busySince == 0 || expired != null) {
            return;
        }
        Duration timeout = http.timeout();
        if (now - lastByte > idleNanos) {
            expired = "no answer within " + timeout;
        } else if (now - busySince > deadlineNanos) {
            expired = "no whole answer within " + timeout.multipliedBy(4);
        } else {
            return;
        }
        closeQuietly(raw);
    }

    /** The answer the reader has read whole. */
    private SyncHttp.Answer answerRead() {
        AnswerBody body = reader.body();
        SyncHttp.Answer answer = new SyncHttp.Answer(reader.status(), body == null ? null : body.bytes(),
                body == null ? 0 : body.length(), reader.etag(), reader.retryAfter(), reader.bodyBytes());
        http.received(answer);
        return answer;
    }

    /** Gives up the answer being read (freeing its decoder) and the connection it came on. */
    private void abandon() {
        AnswerBody body = reader.body();
        if (body != null) {
            body.abandon();
        }
        drop();
    }

    private void drop() {
        Socket current = socket;
        socket = null;
        closeQuietly(current);
        closeQuietly(raw);
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closed either way; nothing on it is used again.
            }
        }
    }

    /** Closes the connection from any thread; a read blocked on it fails, and the connection is not used again. */
    @Override
    public void close() {
        closeQuietly(raw);
        http.forget(this);
    }

    /** A reused connection closed before a byte of its answer: the request goes out again on a fresh one. */
    private static final class Stale extends Exception {
        Stale(String why) {
            super(why, null, false, false);
        }
    }
}
