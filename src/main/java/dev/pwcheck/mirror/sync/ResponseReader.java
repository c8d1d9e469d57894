package dev.pwcheck.mirror.sync;

import dev.pwcheck.upstream.AnswerBody;
import dev.pwcheck.upstream.FailureCause;
import dev.pwcheck.upstream.UpstreamException;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 answer off a keep-alive connection as its bytes arrive (RFC 9112): the status line and the few
 * headers a sync uses, then the body framed by {@code Content-Length}, by chunked transfer coding, or by the end of
 * the connection. A 200's body goes into an {@link AnswerBody} (which inflates gzip and holds the size cap on the
 * decoded bytes); any other status's body is counted and dropped, under the same cap. Everything the upstream sends is
 * untrusted: a head over {@link #MAX_HEAD_BYTES}, a malformed status line or header, conflicting lengths or a bad
 * chunk are refused with an {@link UpstreamException}, and the connection is not used again.
 *
 * <p>Reset for each answer; not thread-safe (a connection's event loop owns it).
 */
final class ResponseReader {

    /** The status line and headers together: nginx and Cloudflare send well under 2 KB. */
    static final int MAX_HEAD_BYTES = 16 << 10;
    private static final int MAX_CHUNK_LINE = 1024;
    /** Bytes of a head taken at once: more than nginx's heads, less than the bodies that follow them. */
    private static final int HEAD_PIECE = 512;

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
    private long remaining;
    private long bodyBytes;

    ResponseReader(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Ready for the next answer on the same connection. */
    void reset() {
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
     * Takes bytes from {@code chunk} starting at {@code from}, until the answer is whole or the chunk ends.
     *
     * @return where in {@code chunk} the answer ended (bytes after it belong to no request), or its length
     * @throws UpstreamException when the answer is malformed or over the cap
     */
    int feed(Buffer chunk, int from) {
        int at = from;
        int end = chunk.length();
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
                    byte b = chunk.getByte(at++);
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
    private int readHead(Buffer chunk, int at, int end) {
        while (at < end) {
            if (lineLength == line.length) {
                throw malformed("the answer's " + (state == State.HEAD ? "headers" : "trailers") + " are over " + MAX_HEAD_BYTES + " bytes");
            }
            // Copied in pieces and scanned here: a byte at a time through the buffer checks its bounds each time.
            int n = Math.min(Math.min(end - at, HEAD_PIECE), line.length - lineLength);
            chunk.getBytes(at, at + n, line, lineLength);
            for (int i = 0; i < n; i++) {
                if (line[lineLength++] == '\n' && headEnded()) {
                    if (state == State.HEAD) {
                        parseHead();
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

    private void parseHead() {
        int at = 0;
        int lineEnd = lineEnd(0);
        String statusLine = ascii(0, lineEnd);
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' '
                || !Character.isDigit(statusLine.charAt(7)) || statusLine.length() > 12 && statusLine.charAt(12) != ' ') {
            throw malformed("the answer does not start with an HTTP/1.x status line");
        }
        int code = 0;
        for (int i = 9; i < 12; i++) {
            char c = statusLine.charAt(i);
            if (c < '0' || c > '9') {
                throw malformed("the answer's status is not three digits");
            }
            code = code * 10 + (c - '0');
        }
        boolean http10 = statusLine.charAt(7) == '0';
        String contentLength = null;
        String contentEncoding = null;
        String transferEncoding = null;
        String connection = null;
        at = next(lineEnd);
        while (at < lineLength) {
            lineEnd = lineEnd(at);
            if (lineEnd == at) {
                break;
            }
            if (line[at] == ' ' || line[at] == '\t') {
                throw malformed("the answer folds a header over lines");
            }
            int colon = at;
            while (colon < lineEnd && line[colon] != ':') {
                colon++;
            }
            if (colon == lineEnd || colon == at) {
                throw malformed("the answer has a header line without a name and a colon");
            }
            int nameLength = colon - at;
            if (named(at, nameLength, "content-length")) {
                String value = value(colon, lineEnd);
                if (contentLength != null && !contentLength.equals(value)) {
                    throw malformed("the answer has two different Content-Length headers");
                }
                contentLength = value;
            } else if (named(at, nameLength, "content-encoding")) {
                contentEncoding = joined(contentEncoding, value(colon, lineEnd));
            } else if (named(at, nameLength, "transfer-encoding")) {
                transferEncoding = joined(transferEncoding, value(colon, lineEnd));
            } else if (named(at, nameLength, "connection")) {
                connection = joined(connection, value(colon, lineEnd));
            } else if (named(at, nameLength, "etag")) {
                etag = value(colon, lineEnd);
            } else if (named(at, nameLength, "retry-after")) {
                retryAfter = value(colon, lineEnd);
            }
            at = next(lineEnd);
        }
        if (code >= 100 && code < 200) {
            // An interim answer (100 Continue, 103 Early Hints): the real one follows on the same connection.
            if (code == 101) {
                throw malformed("the upstream switched protocols, which was not asked for");
            }
            etag = null;
            retryAfter = null;
            return;
        }
        status = code;
        String tokens = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
        keepAlive = http10 ? tokens.contains("keep-alive") : !tokens.contains("close");
        long length = -1;
        if (transferEncoding == null && contentLength != null) {
            length = decimal(contentLength);
        }
        if (code == 200) {
            // Sized from the length it declares (and refused at once when that is over the cap).
            body = AnswerBody.forAnswer(contentEncoding, length >= 0 ? Long.toString(length) : null, maxBodyBytes);
        }
        if (code == 204 || code == 304) {
            state = State.DONE;
        } else if (transferEncoding != null) {
            String codings = transferEncoding.toLowerCase(Locale.ROOT);
            if (codings.strip().endsWith("chunked")) {
                state = State.CHUNK_SIZE;
                // A length beside chunked coding is a smuggling sign: read this answer, then drop the connection.
                keepAlive &= contentLength == null;
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

    private int readChunkSize(Buffer chunk, int at, int end) {
        while (at < end) {
            byte b = chunk.getByte(at++);
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

    private void take(Buffer chunk, int from, int count) {
        if (count == 0) {
            return;
        }
        bodyBytes += count;
        if (body != null) {
            body.append(chunk, from, from + count);
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

    /** Where the line starting at {@code from} ends, before its CR LF (or bare LF). */
    private int lineEnd(int from) {
        int i = from;
        while (i < lineLength && line[i] != '\n') {
            i++;
        }
        return i > from && line[i - 1] == '\r' ? i - 1 : i;
    }

    private int next(int lineEnd) {
        int i = lineEnd;
        if (i < lineLength && line[i] == '\r') {
            i++;
        }
        return i + 1;
    }

    /** Whether the header name at {@code line[at, at + length)} is {@code lowerCase}, in any case. */
    private boolean named(int at, int length, String lowerCase) {
        if (length != lowerCase.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            // Header names here are letters and '-': setting bit 5 lower-cases a letter and leaves '-' as it is.
            if ((line[at + i] | 0x20) != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String value(int colon, int lineEnd) {
        return ascii(colon + 1, lineEnd).strip();
    }

    /** Repeated headers of a list are one list (RFC 9110 5.3). */
    private static String joined(String before, String value) {
        return before == null ? value : before + ", " + value;
    }

    private static long decimal(String digits) {
        if (digits.isEmpty() || digits.length() > 18) {
            throw malformed("the answer's Content-Length is not a number");
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw malformed("the answer's Content-Length is not a number");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private String ascii(int from, int to) {
        return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static UpstreamException malformed(String message) {
        return new UpstreamException(FailureCause.MALFORMED, message);
    }
}
