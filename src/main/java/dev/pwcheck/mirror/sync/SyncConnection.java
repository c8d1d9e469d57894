package dev.pwcheck.mirror.sync;

import dev.pwcheck.upstream.AnswerBody;
import dev.pwcheck.upstream.UpstreamException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * One keep-alive HTTP/1.1 connection of a sync: it carries one request at a time, reads the answer with a
 * {@link ResponseReader}, and goes back to its lane's pool when the answer allows. Everything here runs on the lane's
 * event loop.
 */
final class SyncConnection {

    /** What the connection does with the end of a request: the lane decides what comes next. */
    interface Owner {
        /** The answer is whole and the connection may carry another request. */
        void reusable(SyncConnection connection);

        /** The connection is gone; {@code exchange} (null when it was idle) had no whole answer on it. */
        void lost(SyncConnection connection, SyncHttp.Exchange exchange, boolean retryable, String why);
    }

    private final NetSocket socket;
    private final Owner owner;
    private final ResponseReader reader;
    private SyncHttp.Exchange exchange;
    private long lastRead;
    private int answered;
    private boolean closing;
    private Throwable error;

    SyncConnection(NetSocket socket, Owner owner, int maxBodyBytes) {
        this.socket = socket;
        this.owner = owner;
        this.reader = new ResponseReader(maxBodyBytes);
        socket.handler(this::received);
        socket.exceptionHandler(failure -> {
            error = failure;
            socket.close();
        });
        socket.closeHandler(closed -> closed());
    }

    /** Sends {@code next}'s request; its answer is read from here on. */
    void start(SyncHttp.Exchange next) {
        exchange = next;
        reader.reset();
        lastRead = System.nanoTime();
        next.startedAt(lastRead);
        socket.write(next.request());
    }

    /** The request in flight, or null while idle. */
    SyncHttp.Exchange exchange() {
        return exchange;
    }

    long lastRead() {
        return lastRead;
    }

    /** Gives up the request in flight (a timeout) and closes the connection, which no one reuses after that. */
    void abandon(String why) {
        SyncHttp.Exchange abandoned = exchange;
        exchange = null;
        closing = true;
        socket.close();
        if (abandoned != null) {
            abandoned.fail(false, why);
        }
    }

    void close() {
        closing = true;
        socket.close();
    }

    private void received(Buffer chunk) {
        lastRead = System.nanoTime();
        SyncHttp.Exchange current = exchange;
        if (current == null) {
            // Bytes no request asked for: the connection is out of step; nothing on it can be trusted now.
            close();
            return;
        }
        int end;
        try {
            end = reader.feed(chunk, 0);
        } catch (UpstreamException e) {
            exchange = null;
            close();
            current.fail(true, e.getMessage());
            return;
        }
        if (!reader.done()) {
            return;
        }
        exchange = null;
        answered++;
        SyncHttp.Answer answer = answerRead();
        // Back in the pool before the answer is handled: the handler's next request can go out on this connection.
        if (reader.keepAlive() && end == chunk.length()) {
            owner.reusable(this);
        } else {
            close();
        }
        current.answered(answer);
    }

    private void closed() {
        SyncHttp.Exchange current = exchange;
        exchange = null;
        if (current != null) {
            try {
                reader.closed();
            } catch (UpstreamException e) {
                // A reused connection the server closed before a byte of this answer: the request never reached it
                // (or was not acted on), so a GET is sent again on a fresh connection at once.
                boolean retryable = !closing && answered > 0 && !reader.started();
                String why = error != null ? describe(error) : e.getMessage();
                owner.lost(this, current, retryable, why);
                return;
            }
            // A body that ran to the close is whole now.
            owner.lost(this, null, false, null);
            current.answered(answerRead());
            return;
        }
        owner.lost(this, null, false, null);
    }

    /** The answer the reader has read whole. */
    private SyncHttp.Answer answerRead() {
        AnswerBody body = reader.body();
        return new SyncHttp.Answer(reader.status(), body == null ? null : body.bytes(), body == null ? 0 : body.length(),
                reader.etag(), reader.retryAfter(), reader.bodyBytes());
    }

    /** A failure as a sync reports it: its kind and message. */
    static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }
}
