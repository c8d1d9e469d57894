package dev.pwcheck.mirror.sync;

import dev.pwcheck.upstream.AnswerBody;
import dev.pwcheck.upstream.FailureCause;
import dev.pwcheck.upstream.UpstreamException;

/**
 * Reads one HTTP/1.1 answer off a keep-alive connection as its bytes arrive (RFC 9112): the status line and the few
 * headers a sync uses, then the body framed by {@code Content-Length}, by chunked transfer coding, or by the end of
 * the connection. A 200's body goes into an {@link AnswerBody} (which inflates gzip and holds the size cap on the
 * decoded bytes); any other status's body is counted and dropped, under the same cap. Everything the upstream sends is
 * untrusted: a head over {@link #MAX_HEAD_BYTES}, a malformed status line or header ({@link ResponseHead} reads them),
 * conflicting lengths or a bad chunk are refused with an {@link UpstreamException}, and the connection is not used again.
 *
 * <p>Reset for each answer; not thread-safe (the thread that owns the connection owns its reader).
 */
final class ResponseReader {

    /** The status line and headers together: nginx and Cloudflare send well under 2 KB. */
    static final int MAX_HEAD_BYTES = 16 << 10;
    private static final int MAX_CHUNK_LINE = 1024;
    /** Bytes of a head taken at once: more than nginx's heads, less than the bodies that follow them. */
    private static final int HEAD_PIECE = 512;
    /**
     * The largest body array kept for the next answer: a range answer is about 40-80 KB, and one array a
     * connection spares allocating and zeroing one for every answer (most of what reading a head cost in a sync).
     */
    private static final int KEPT_BODY_BYTES = 1 << 20;

    private enum State { HEAD, LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, DONE }

    private final int maxBodyBytes;
    private final byte[] line = new byte[MAX_HEAD_BYTES];
    private int lineLength;
    private State state = State.HEAD;
    private boolean started;

    private int status;
    private String etag;
    private String retryAfter;
    private boolean keepAlive;
    private AnswerBody body;
    /** The last plain body's array, for the next: its caller is done with an answer before it asks the next. */
    private byte[] spareBody;
    private long remaining;
    private long bodyBytes;
    private final ResponseHead head = new ResponseHead();

    ResponseReader(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Ready for the next answer on the same connection. */
    void reset() {
        if (body instanceof AnswerBody.PlainBody plain && plain.bytes().length <= KEPT_BODY_BYTES) {
            spareBody = plain.bytes();
        }
        state = State.HEAD;
        started = false;
        lineLength = 0;
        status = 0;
        etag = null;
        retryAfter = null;
        keepAlive = false;
        body = null;
        remaining = 0;
        bodyBytes = 0;
    }

    /**
     * Takes bytes {@code [from, end)} of {@code chunk}, until the answer is whole or they run out.
     *
     * @return where in {@code chunk} the answer ended (bytes after it belong to no request), or {@code end}
     * @throws UpstreamException when the answer is malformed or over the cap
     */
    int feed(byte[] chunk, int from, int end) {
        int at = from;
        if (end > at) {
            started = true;
        }
        while (at < end && state != State.DONE) {
            switch (state) {
                case HEAD, TRAILERS -> at = readHead(chunk, at, end);
                case LENGTH -> {
                    int n = (int) Math.min(remaining, end - at);
                    take(chunk, at, n);
                    at += n;
                    remaining -= n;
                    if (remaining == 0) {
                        finishBody();
                    }
                }
                case CHUNK_SIZE -> at = readChunkSize(chunk, at, end);
                case CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, end - at);
                    take(chunk, at, n);
                    at += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.CHUNK_END;
                    }
                }
                case CHUNK_END -> {
                    byte b = chunk[at++];
                    if (b == '\n') {
                        state = State.CHUNK_SIZE;
                    } else if (b != '\r') {
                        throw malformed("a chunk does not end where its size says");
                    }
                }
                case UNTIL_CLOSE -> {
                    take(chunk, at, end - at);
                    at = end;
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        return at;
    }

    /** The connection closed: ends a body that runs to the close; anything else was cut short. */
    void closed() {
        if (state == State.UNTIL_CLOSE) {
            finishBody();
        } else if (state != State.DONE) {
            throw new UpstreamException(FailureCause.MALFORMED, "the connection closed before the answer ended");
        }
    }

    boolean done() {
        return state == State.DONE;
    }

    /** Whether any byte of this answer has arrived (a reused connection that closes before one did may be retried). */
    boolean started() {
        return started;
    }

    int status() {
        return status;
    }

    String etag() {
        return etag;
    }

    String retryAfter() {
        return retryAfter;
    }

    /** Whether the connection may carry the next request once this answer is whole. */
    boolean keepAlive() {
        return keepAlive;
    }

    /** The body of a 200 (null for other statuses). */
    AnswerBody body() {
        return body;
    }

    /** Body bytes as sent (compressed when gzipped, before chunk framing is removed it is not counted). */
    long bodyBytes() {
        return bodyBytes;
    }

    /** Reads the head (or, after the last chunk, the trailers) up to the empty line that ends it. */
    private int readHead(byte[] chunk, int at, int end) {
        while (at < end) {
            if (lineLength == line.length) {
                throw malformed("the answer's " + (state == State.HEAD ? "headers" : "trailers") + " are over " + MAX_HEAD_BYTES + " bytes");
            }
            // Copied in pieces, then scanned: a head is small, and the body after it is not copied here.
            int n = Math.min(Math.min(end - at, HEAD_PIECE), line.length - lineLength);
            System.arraycopy(chunk, at, line, lineLength, n);
            for (int i = 0; i < n; i++) {
                if (line[lineLength++] == '\n' && headEnded()) {
                    if (state == State.HEAD) {
                        headRead();
                    } else {
                        finishBody();
                    }
                    lineLength = 0;
                    return at + i + 1;
                }
            }
            at += n;
        }
        return at;
    }

    /** The head ends at an empty line: CRLF CRLF, or bare LF LF as RFC 9112 lets a reader accept. */
    private boolean headEnded() {
        int n = lineLength;
        return n >= 2 && (line[n - 2] == '\n' || (n >= 3 && line[n - 2] == '\r' && line[n - 3] == '\n'));
    }

    /** Frames the body as the head just read says, or waits for the real head after an interim one. */
    private void headRead() {
        head.parse(line, lineLength);
        int code = head.status();
        if (code >= 100 && code < 200) {
            // An interim answer (100 Continue, 103 Early Hints): the real one follows on the same connection.
            if (code == 101) {
                throw malformed("the upstream switched protocols, which was not asked for");
            }
            return;
        }
        status = code;
        etag = head.etag();
        retryAfter = head.retryAfter();
        keepAlive = head.keepAlive();
        long length = head.transferCoded() ? -1 : head.contentLength();
        if (code == 200) {
            if (length > maxBodyBytes) {
                throw new UpstreamException(FailureCause.TOO_LARGE, "upstream range answer declares over " + maxBodyBytes + " bytes");
            }
            // Sized from the length it declares.
            body = AnswerBody.forEncoding(head.contentEncoding(), maxBodyBytes, (int) length, spareBody);
        }
        if (code == 204 || code == 304) {
            state = State.DONE;
        } else if (head.transferCoded()) {
            if (head.chunked()) {
                state = State.CHUNK_SIZE;
                // A length beside chunked coding is a smuggling sign: read this answer, then drop the connection.
                keepAlive &= head.contentLength() < 0;
            } else {
                state = State.UNTIL_CLOSE;
                keepAlive = false;
            }
        } else if (length >= 0) {
            remaining = length;
            if (length == 0) {
                finishBody();
            } else {
                state = State.LENGTH;
            }
        } else {
            state = State.UNTIL_CLOSE;
            keepAlive = false;
        }
    }

    private int readChunkSize(byte[] chunk, int at, int end) {
        while (at < end) {
            byte b = chunk[at++];
            if (b != '\n') {
                if (lineLength == MAX_CHUNK_LINE) {
                    throw malformed("a chunk size line is over " + MAX_CHUNK_LINE + " bytes");
                }
                line[lineLength++] = b;
                continue;
            }
            long size = 0;
            int digits = 0;
            for (int i = 0; i < lineLength; i++) {
                int v = Character.digit(line[i], 16);
                if (v < 0) {
                    break; // a chunk extension (;name=value) or the CR
                }
                if (++digits > 8) {
                    throw malformed("a chunk is over " + maxBodyBytes + " bytes");
                }
                size = size * 16 + v;
            }
            if (digits == 0) {
                throw malformed("a chunk size is not a hexadecimal number");
            }
            lineLength = 0;
            if (size == 0) {
                // Trailer lines up to an empty line end the answer, as the head does; their content is not used. The
                // LF that ended this line starts the buffer, so an empty trailer section is that same empty line.
                state = State.TRAILERS;
                line[0] = '\n';
                lineLength = 1;
            } else {
                remaining = size;
                state = State.CHUNK_DATA;
            }
            return at;
        }
        return at;
    }

    private void take(byte[] chunk, int from, int count) {
        if (count == 0) {
            return;
        }
        bodyBytes += count;
        if (body != null) {
            body.append(chunk, from, count);
        } else if (bodyBytes > maxBodyBytes) {
            throw new UpstreamException(FailureCause.TOO_LARGE, "upstream answer is over " + maxBodyBytes + " bytes");
        }
    }

    private void finishBody() {
        if (body != null) {
            body.finish();
        }
        state = State.DONE;
    }

    private static UpstreamException malformed(String message) {
        return new UpstreamException(FailureCause.MALFORMED, message);
    }
}
