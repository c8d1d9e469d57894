package dev.pwcheck.mirror.sync;

import dev.pwcheck.upstream.UpstreamException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.TruncatedChunkException;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/**
 * One worker's requests through the sync's client: one at a time, from the worker's thread, each answer read whole by
 * an {@link AnswerReading} into buffers kept for the worker's life. The watchdog ({@link #expireIfLate}) and a stopping
 * sync ({@link #close()}) may cancel the request in flight from another thread, which fails a blocked read at once.
 */
final class SyncConnection implements Closeable {

    private final SyncHttp http;
    private final AnswerReading reading;
    /** The request in flight, and when it went out and when a byte last came for it; 0 while idle. Guarded by this. */
    private HttpGet inFlight;
    private long busySince;
    private volatile long lastByte;
    /** Why the watchdog cancelled the request in flight; null when it did not. Guarded by this. */
    private String expired;
    private boolean closed;

    SyncConnection(SyncHttp http, int maxBodyBytes) {
        this.http = http;
        this.reading = new AnswerReading(maxBodyBytes, () -> lastByte = System.nanoTime());
    }

    /**
     * GETs {@code path}, with {@code If-None-Match: etag} when it is not null, and reads the whole answer. Its body
     * is read into the array the last answer's was, so it must be used before the next call.
     */
    SyncHttp.Answer get(String path, String etag) throws SyncHttp.Failure {
        HttpGet request = http.request(path, etag);
        begin(request);
        ClassicHttpResponse response = null;
        boolean whole = false;
        try {
            response = http.client().executeOpen(http.target(), request, null);
            lastByte = System.nanoTime();
            SyncHttp.Answer answer = reading.read(response);
            whole = true;
            http.received(answer);
            return answer;
        } catch (UpstreamException e) {
            throw new SyncHttp.Failure(true, why(e.getMessage()));
        } catch (RuntimeException e) {
            // The client fails this way, not with an I/O or protocol error, on a status it cannot hold (000: found by
            // fuzzing: IllegalArgumentException), and on a request cancelled between the pool's lease and the connect
            // (IllegalStateException). One failed try like any other, retried, not a fault that stops the sync.
            throw new SyncHttp.Failure(!timedOut(), why(SyncHttp.describe(e)));
        } catch (IOException e) {
            throw new SyncHttp.Failure(invalid(e), why(SyncHttp.describe(e.getCause() instanceof HttpException ? e.getCause() : e)));
        } finally {
            if (!whole) {
                // Nothing more is read from a connection whose answer was refused or cut: it is closed, not drained.
                request.cancel();
            }
            closeQuietly(response);
            end();
        }
    }

    /** Framing the client refused (a protocol error, a bad chunk), as against a connection lost or timed out. */
    private static boolean invalid(IOException e) {
        return e.getCause() instanceof HttpException || e instanceof MalformedChunkCodingException || e instanceof TruncatedChunkException;
    }

    private synchronized void begin(HttpGet request) throws SyncHttp.Failure {
        if (closed || http.closed()) {
            throw new SyncHttp.Failure(false, "the sync is stopping");
        }
        expired = null;
        inFlight = request;
        busySince = System.nanoTime();
        lastByte = busySince;
    }

    private synchronized void end() {
        inFlight = null;
        busySince = 0;
    }

    private synchronized boolean timedOut() {
        return expired != null;
    }

    /** What a failure is reported as: the timeout, when the watchdog is why the request was cancelled. */
    private synchronized String why(String failure) {
        return expired != null ? expired : failure;
    }

    /**
     * Called by the watchdog: cancels a request that has had no byte for {@code idleNanos}, or no whole answer for
     * {@code deadlineNanos}.
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
        inFlight.cancel();
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        if (response != null) {
            try {
                response.close();
            } catch (IOException e) {
                // Released or discarded either way; nothing on it is used again.
            }
        }
    }

    /** Cancels the request in flight from any thread; a read blocked on it fails, and no request is made after. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (inFlight != null) {
                inFlight.cancel();
            }
        }
        http.forget(this);
    }
}
