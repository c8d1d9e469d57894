package dev.pwcheck.problem;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * The public port's limits on what a request may be, held before any endpoint or filter sees it, each refused with the
 * service's problem body: a request line over {@link #MAX_REQUEST_LINE} bytes ({@code 414}), headers over
 * {@link #MAX_HEADER_BYTES} ({@code 431}), a body over {@link BodySizeLimit#MAX_BODY_BYTES} ({@code 413}): a declared
 * one refused before a byte is read, an HTTP/1.1 chunked one as soon as it passes the limit; the connection is then
 * closed and the rest never read. An HTTP/2 body without a length is left to the endpoint, which reads it as a
 * {@link BoundedBody}: read here, the request would have ended before the REST layer starts, which it refuses on
 * HTTP/2 (it pauses the request, and an ended HTTP/2 request cannot be paused). The HTTP layer's own limits are set
 * well above these ({@code quarkus.http.limits.*}), so that only requests past those get its bare answers.
 *
 * <p>Before, anything over the HTTP layer's caps got a bare answer, and a chunked body over 64 KiB made the endpoint
 * fail reading the cut body, logged at ERROR with a stack trace: anyone could fill the log.
 */
@ApplicationScoped
public class RequestLimits {

    /**
     * Before the endpoints and every filter that reads a body (the HTTP layer's upload limit is at -2), and after the
     * CORS filter (-300), so that a browser's refusal carries the CORS headers it needs to be read.
     */
    static final int ORDER = -250;
    /** Method, path and query, and the protocol: a check's is under 100 bytes, a range's under 50. */
    public static final int MAX_REQUEST_LINE = 4096;
    /** Every header line's bytes together: a caller's key and a proxy's forwarding headers fit many times over. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;

    private static final Logger LOG = Logger.getLogger(RequestLimits.class);
    /** Set while this route reads a chunked body: a failure then is the body's framing, the client's doing. */
    private static final String READING_BODY = "pwcheck.reading-body";

    void install(@Observes Router router) {
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(BodySizeLimit.MAX_BODY_BYTES).setHandleFileUploads(false);
        router.route().order(ORDER)
                .handler(context -> {
                    HttpServerRequest request = context.request();
                    long declared = declaredBytes(request);
                    if (requestLineBytes(request) > MAX_REQUEST_LINE) {
                        refuse(context, Response.Status.REQUEST_URI_TOO_LONG, "the request line is over " + MAX_REQUEST_LINE + " bytes");
                    } else if (headerBytes(request) > MAX_HEADER_BYTES) {
                        refuse(context, Response.Status.REQUEST_HEADER_FIELDS_TOO_LARGE, "the request headers are over " + MAX_HEADER_BYTES + " bytes");
                    } else if (declared == NOT_A_NUMBER) {
                        refuse(context, Response.Status.BAD_REQUEST, "Content-Length is not a number");
                    } else if (declared > BodySizeLimit.MAX_BODY_BYTES) {
                        refuse(context, Response.Status.REQUEST_ENTITY_TOO_LARGE, BodySizeLimit.tooLarge().problem().detail());
                    } else if (request.version() != HttpVersion.HTTP_2 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
                        if (!"chunked".equalsIgnoreCase(request.getHeader(HttpHeaders.TRANSFER_ENCODING).trim())) {
                            // Another coding (xchunked, "gzip, chunked") left the request waiting for a body that never
                            // ends, or its body read as if plain: framing two parties may read two ways is refused.
                            refuse(context, Response.Status.BAD_REQUEST, "Transfer-Encoding must be chunked, alone");
                            return;
                        }
                        // Read here, up to the limit: the endpoint's own reading of a chunked body past the HTTP layer's cap
                        // failed with an I/O error. (The endpoint takes the body read here.)
                        context.put(READING_BODY, Boolean.TRUE);
                        bodies.handle(context);
                    } else {
                        context.next();
                    }
                })
                .failureHandler(RequestLimits::failed);
    }

    /** Whether the body handler above has the whole body (a failure after that is not the body's framing). */
    private static boolean bodyRead(RoutingContext context) {
        return context.body() != null && context.body().buffer() != null;
    }

    /**
     * Hands a chunked body read here to the endpoint as a stream of its own, and zeroes the routing context's copy: it
     * holds a password in clear, and the endpoint wipes only its own. The stream's copy is zeroed once read, and in any
     * case when the exchange ends.
     */
    @org.jboss.resteasy.reactive.server.ServerRequestFilter(preMatching = true)
    public void bodyReadHere(jakarta.ws.rs.container.ContainerRequestContext request, RoutingContext context) {
        if (context.get(READING_BODY) != null && bodyRead(context)) {
            io.vertx.core.buffer.Buffer buffer = context.body().buffer();
            byte[] body = buffer.getBytes();
            buffer.setBytes(0, new byte[buffer.length()]);
            WipingInputStream stream = new WipingInputStream(body);
            context.addEndHandler(ended -> stream.wipe());
            request.setEntityStream(stream);
        }
    }

    private static int requestLineBytes(HttpServerRequest request) {
        return request.method().name().length() + 1 + request.uri().length() + " HTTP/1.1".length();
    }

    private static int headerBytes(HttpServerRequest request) {
        int bytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            bytes += header.getKey().length() + 2 + header.getValue().length() + 2;
        }
        return bytes;
    }

    private static final long NOT_A_NUMBER = Long.MIN_VALUE;

    /** The declared Content-Length, -1 when there is none, or {@link #NOT_A_NUMBER}. */
    private static long declaredBytes(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return NOT_A_NUMBER;
        }
    }

    /** The 413 of the body handler above, and what a cut body fails with once its request was answered. */
    private static void failed(RoutingContext context) {
        if (context.statusCode() != 413 && context.get(READING_BODY) != null && !bodyRead(context)) {
            // The HTTP layer refused a chunk (a size that is not hex, say) while the body was read here: the client's
            // bad framing, which the error handler logged at ERROR with its stack trace. The HTTP layer has closed the
            // connection by now, so there is mostly no one left to answer.
            if (context.response().closed() || context.response().ended()) {
                LOG.debugf("A chunked body could not be read: %s", context.failure() == null ? "no cause" : context.failure().getClass().getName());
            } else {
                refuse(context, Response.Status.BAD_REQUEST, "the request body's chunked framing is malformed");
            }
            return;
        }
        if ((context.response().ended() || context.response().closed()) && cutBody(context.failure())) {
            // Answered already (a refusal closed the connection under a body still arriving): the late failure has no
            // one to go to. Not an error of ours, and logging one per request would let anyone fill the log.
            LOG.debugf("A request failed after its answer was sent: %s", context.failure() == null ? "status " + context.statusCode()
                    : context.failure().getClass().getName());
            return;
        }
        if (context.statusCode() != 413) {
            context.next();
            return;
        }
        refuse(context, Response.Status.REQUEST_ENTITY_TOO_LARGE, BodySizeLimit.tooLarge().problem().detail());
    }

    /** What a body cut off by a closed connection fails with: nothing (a status), or an I/O failure of the connection. */
    private static boolean cutBody(Throwable failure) {
        return failure == null || failure instanceof java.io.IOException || failure instanceof io.vertx.core.VertxException
                || failure instanceof java.nio.channels.ClosedChannelException;
    }

    /**
     * Answers the problem. On HTTP/1.1 the connection is then closed, so whatever the request still sends is never
     * read; on HTTP/2 ending the stream is enough, and the connection's other streams go on.
     */
    private static void refuse(RoutingContext context, Response.StatusType status, String detail) {
        String problem = "{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":" + status.getStatusCode()
                + ",\"detail\":\"" + detail + "\"}";
        boolean http2 = context.request().version() == HttpVersion.HTTP_2;
        if (!http2) {
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        context.response().setStatusCode(status.getStatusCode())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(problem)
                .onComplete(done -> {
                    if (!http2) {
                        context.request().connection().close();
                    }
                });
    }
}
