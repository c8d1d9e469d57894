package dev.pwcheck.mirror.sync;

import dev.pwcheck.upstream.FailureCause;
import dev.pwcheck.upstream.UpstreamException;

import java.nio.charset.StandardCharsets;

/**
 * What the head of one HTTP/1.1 answer says (RFC 9112), read from its bytes: the status line, and of the headers the
 * few a sync uses (Content-Length, Transfer-Encoding, Connection, ETag, Content-Encoding, Retry-After). The upstream is
 * untrusted: a status line that is not {@code HTTP/1.x NNN}, a header line without a name and a colon, a folded header
 * or two different Content-Lengths are refused with an {@link UpstreamException}. How the body is framed from this is
 * {@link ResponseReader}'s to decide.
 *
 * <p>One a reader, read again for every head it meets; not thread-safe.
 */
final class ResponseHead {

    /** The head being read, {@code line[0, length)}; it ends with the empty line. */
    private byte[] line;
    private int length;

    private int status;
    private boolean http10;
    /** -1: no Content-Length header. */
    private long contentLength;
    private String contentEncoding;
    private int encodings;
    private int transferCodings;
    private boolean chunked;
    private boolean closeAsked;
    private boolean keepAliveAsked;
    private String etag;
    private String retryAfter;

    /**
     * Reads the status line and the headers a sync uses, from the bytes themselves: only an ETag, a Retry-After and
     * an encoding become strings. (Read through strings, this was the largest method the JIT compiled in a sync.)
     *
     * @throws UpstreamException when the status line or a header line is malformed
     */
    void parse(byte[] head, int headLength) {
        line = head;
        length = headLength;
        int lineEnd = lineEnd(0);
        status = statusCode(lineEnd);
        http10 = line[7] == '0';
        contentLength = -1;
        contentEncoding = null;
        encodings = 0;
        transferCodings = 0;
        chunked = false;
        closeAsked = false;
        keepAliveAsked = false;
        etag = null;
        retryAfter = null;
        int at = next(lineEnd);
        while (at < length) {
            lineEnd = lineEnd(at);
            if (lineEnd == at) {
                break;
            }
            header(at, lineEnd);
            at = next(lineEnd);
        }
    }

    int status() {
        return status;
    }

    /** Whether the head lets the connection carry another answer: HTTP/1.1 unless it asks to close, 1.0 only if it asks. */
    boolean keepAlive() {
        return http10 ? keepAliveAsked : !closeAsked;
    }

    /** The Content-Length header's value, or -1 without one. */
    long contentLength() {
        return contentLength;
    }

    /** Whether any Transfer-Encoding header came, which overrides a Content-Length (RFC 9112 section 6.3). */
    boolean transferCoded() {
        return transferCodings > 0;
    }

    /** Whether the body is chunked: chunked is the last coding of the last Transfer-Encoding header. */
    boolean chunked() {
        return chunked;
    }

    /** The body's content coding (null: none). Two Content-Encoding headers make a list, which nothing here reads. */
    String contentEncoding() {
        return encodings > 1 ? "unsupported" : contentEncoding;
    }

    String etag() {
        return etag;
    }

    String retryAfter() {
        return retryAfter;
    }

    /** The status line, {@code HTTP/1.x NNN[ reason]}: its three-digit code. */
    private int statusCode(int lineEnd) {
        if (lineEnd < 12 || line[0] != 'H' || line[1] != 'T' || line[2] != 'T' || line[3] != 'P' || line[4] != '/'
                || line[5] != '1' || line[6] != '.' || line[7] < '0' || line[7] > '9' || line[8] != ' '
                || lineEnd > 12 && line[12] != ' ') {
            throw malformed("the answer does not start with an HTTP/1.x status line");
        }
        int status = (int) decimal(9, 12, "the answer's status is not three digits");
        // 000 to 099 are three digits but no status: the first digit is the class, 1 to 5 (RFC 9110, section 15). Found
        // by fuzzing ("HTTP/1.1 099" was read as an answer of status 99).
        if (status < 100 || status > 599) {
            throw malformed("the answer's status is not from 100 to 599");
        }
        return status;
    }

    /** One header line, {@code line[at, lineEnd)}: kept when it is one a sync reads. */
    private void header(int at, int lineEnd) {
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
        int from = skipSpace(colon + 1, lineEnd);
        int to = trimSpace(from, lineEnd);
        if (named(at, nameLength, "content-length")) {
            long value = decimal(from, to, "the answer's Content-Length is not a number");
            if (contentLength >= 0 && contentLength != value) {
                throw malformed("the answer has two different Content-Length headers");
            }
            contentLength = value;
        } else if (named(at, nameLength, "connection")) {
            connectionTokens(from, to);
        } else if (named(at, nameLength, "etag")) {
            etag = ascii(from, to);
        } else if (named(at, nameLength, "content-encoding")) {
            encodings++;
            contentEncoding = ascii(from, to);
        } else if (named(at, nameLength, "transfer-encoding")) {
            transferCodings++;
            // Chunked must be the last coding (RFC 9112 section 6.1), of the last header that lists codings.
            int last = to;
            while (last > from && line[last - 1] != ',') {
                last--;
            }
            last = skipSpace(last, to);
            chunked = to - last == 7 && named(last, 7, "chunked");
        } else if (named(at, nameLength, "retry-after")) {
            retryAfter = ascii(from, to);
        }
    }

    /** Reads the tokens of a Connection header ({@code close}, {@code keep-alive}, any case, comma-separated). */
    private void connectionTokens(int from, int to) {
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || line[i] == ',') {
                int a = skipSpace(start, i);
                int b = trimSpace(a, i);
                if (b - a == 5 && named(a, 5, "close")) {
                    closeAsked = true;
                } else if (b - a == 10 && named(a, 10, "keep-alive")) {
                    keepAliveAsked = true;
                }
                start = i + 1;
            }
        }
    }

    /** Where the line starting at {@code from} ends, before its CR LF (or bare LF). */
    private int lineEnd(int from) {
        int i = from;
        while (i < length && line[i] != '\n') {
            i++;
        }
        return i > from && line[i - 1] == '\r' ? i - 1 : i;
    }

    private int next(int lineEnd) {
        int i = lineEnd;
        if (i < length && line[i] == '\r') {
            i++;
        }
        return i + 1;
    }

    /** Whether the header name at {@code line[at, at + nameLength)} is {@code lowerCase}, in any case. */
    private boolean named(int at, int nameLength, String lowerCase) {
        if (nameLength != lowerCase.length()) {
            return false;
        }
        for (int i = 0; i < nameLength; i++) {
            // Header names here are letters and '-': setting bit 5 lower-cases a letter and leaves '-' as it is.
            if ((line[at + i] | 0x20) != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Where {@code line[from, to)} stops starting with spaces and tabs (optional whitespace, RFC 9110 5.6.3). */
    private int skipSpace(int from, int to) {
        while (from < to && (line[from] == ' ' || line[from] == '\t')) {
            from++;
        }
        return from;
    }

    /** Where {@code line[from, to)} ends without the spaces and tabs it ends with. */
    private int trimSpace(int from, int to) {
        while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    /** The decimal digits of {@code line[from, to)} (a status code, a Content-Length), refused as {@code problem}. */
    private long decimal(int from, int to, String problem) {
        if (from == to || to - from > 18) {
            throw malformed(problem);
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = line[i] - '0';
            if (digit < 0 || digit > 9) {
                throw malformed(problem);
            }
            value = value * 10 + digit;
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
