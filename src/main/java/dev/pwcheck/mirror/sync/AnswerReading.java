package dev.pwcheck.mirror.sync;

import dev.pwcheck.upstream.AnswerBody;
import dev.pwcheck.upstream.FailureCause;
import dev.pwcheck.upstream.UpstreamException;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;

import java.io.IOException;
import java.io.InputStream;

/**
 * One answer as the client framed it, read to its end: the status and the few headers a sync uses (ETag,
 * Retry-After, Content-Encoding), and the body, a 200's into an {@link AnswerBody} (which inflates gzip and holds
 * the size cap on the decoded bytes), any other status's counted and dropped under the same cap. The upstream is
 * untrusted: a status HTTP has not, two encodings, an encoding not asked for or a body over the cap is refused with
 * an {@link UpstreamException}, before anything more is read.
 *
 * <p>One a worker, reused for each of its answers; not thread-safe.
 */
final class AnswerReading {

    /** Bytes taken off the connection at once: more than a range answer's usual arrival, a small part of the answer. */
    private static final int READ_BYTES = 64 << 10;
    /**
     * The largest body array kept for the next answer: a range answer is about 40-80 KB, and one array a worker
     * spares allocating and zeroing one for every answer.
     */
    private static final int KEPT_BODY_BYTES = 1 << 20;

    private final int maxBodyBytes;
    /** Told of every arrival, so the watchdog sees an answer still coming. */
    private final Runnable arrived;
    private final byte[] input = new byte[READ_BYTES];
    /** The last plain body's array, for the next: its caller is done with an answer before it asks the next. */
    private byte[] spareBody;

    AnswerReading(int maxBodyBytes, Runnable arrived) {
        this.maxBodyBytes = maxBodyBytes;
        this.arrived = arrived;
    }

    /** @throws UpstreamException when the answer cannot be used; IOException when the connection failed under it */
    SyncHttp.Answer read(ClassicHttpResponse response) throws IOException {
        int status = response.getCode();
        if (status < 200 || status > 599) {
            throw malformed("the upstream answered status " + status + ", which HTTP does not have");
        }
        String etag = value(response, HttpHeaders.ETAG);
        String retryAfter = value(response, HttpHeaders.RETRY_AFTER);
        HttpEntity entity = response.getEntity();
        if (status != 200) {
            return new SyncHttp.Answer(status, null, 0, etag, retryAfter, entity == null ? 0 : drop(entity.getContent()));
        }
        if (response.countHeaders(HttpHeaders.CONTENT_ENCODING) > 1) {
            throw malformed("upstream range answer has more than one Content-Encoding");
        }
        long declared = response.containsHeader(HttpHeaders.TRANSFER_ENCODING) || entity == null ? -1 : entity.getContentLength();
        if (declared > maxBodyBytes) {
            throw new UpstreamException(FailureCause.TOO_LARGE, "upstream range answer declares over " + maxBodyBytes + " bytes");
        }
        // Sized from the length it declares.
        AnswerBody body = AnswerBody.forEncoding(value(response, HttpHeaders.CONTENT_ENCODING), maxBodyBytes, (int) declared, spareBody);
        long wire = 0;
        try {
            if (entity != null) {
                InputStream in = entity.getContent();
                // A plain body is read straight into its array; a gzip one through the input buffer, then inflated.
                for (int n; (n = body.readFrom(in, input)) >= 0; ) {
                    arrived.run();
                    wire += n;
                }
            }
            body.finish();
        } catch (IOException | RuntimeException e) {
            body.abandon();
            throw e;
        }
        if (body instanceof AnswerBody.PlainBody && body.bytes().length <= KEPT_BODY_BYTES) {
            spareBody = body.bytes();
        }
        return new SyncHttp.Answer(status, body.bytes(), body.length(), etag, retryAfter, wire);
    }

    /** Reads a body no one uses to its end, so the connection can carry the next request; over the cap it is refused. */
    private long drop(InputStream in) throws IOException {
        long bytes = 0;
        for (int n; (n = in.read(input, 0, input.length)) >= 0; ) {
            arrived.run();
            bytes += n;
            if (bytes > maxBodyBytes) {
                throw new UpstreamException(FailureCause.TOO_LARGE, "upstream answer is over " + maxBodyBytes + " bytes");
            }
        }
        return bytes;
    }

    private static String value(ClassicHttpResponse response, String name) {
        Header header = response.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    private static UpstreamException malformed(String message) {
        return new UpstreamException(FailureCause.MALFORMED, message);
    }
}
