package dev.pwcheck.upstream;

import dev.pwcheck.format.RangeFormatException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

/**
 * The upstream could not give a usable range. Messages name the cause only: never a prefix, a hash or a body,
 * and no stack trace is captured because the cause is all a caller or an operator can act on.
 */
public final class UpstreamException extends RuntimeException {

    private final FailureCause cause;
    private final int status;
    private final Duration retryAfter;

    public UpstreamException(FailureCause cause, String message) {
        this(cause, message, 0, null);
    }

    public UpstreamException(FailureCause cause, String message, int status, Duration retryAfter) {
        super(message, null, false, false);
        this.cause = cause;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public FailureCause failureCause() {
        return cause;
    }

    /** The HTTP status that caused it, or 0. */
    public int status() {
        return status;
    }

    /** What the upstream's Retry-After asked for, if it sent one (seconds form). */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Names the cause of whatever the HTTP client failed with, looking through wrapping exceptions. */
    public static UpstreamException classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UpstreamException upstream) {
                return upstream;
            }
            if (t instanceof RangeFormatException format) {
                return new UpstreamException(format.kind() == RangeFormatException.Kind.TOO_LARGE ? FailureCause.TOO_LARGE : FailureCause.MALFORMED,
                        format.getMessage());
            }
            String name = t.getClass().getSimpleName();
            if (name.equals("CircuitBreakerOpenException")) {
                return new UpstreamException(FailureCause.CIRCUIT_OPEN, "upstream circuit breaker is open");
            }
            if (name.equals("BulkheadException")) {
                return new UpstreamException(FailureCause.BULKHEAD_FULL, "too many upstream requests in flight");
            }
            // Before the timeout test: a connection that was never established (a SYN lost to packet loss or a full
            // accept queue) is worth a retry on a new connection, unlike an answer that was too slow.
            if (name.equals("ConnectTimeoutException")) {
                return new UpstreamException(FailureCause.CONNECT, "upstream connection not established within the connect timeout");
            }
            if (t instanceof TimeoutException || t instanceof io.smallrye.mutiny.TimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return new UpstreamException(FailureCause.TIMEOUT, "upstream did not answer in time");
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException
                    || t instanceof SocketException || t instanceof ClosedChannelException || t instanceof SSLException
                    || t.getClass().getName().startsWith("io.netty.channel")
                    || t.getClass().getName().startsWith("io.netty.handler.codec.http2.Http2Exception")
                    || t.getClass().getSimpleName().equals("StreamResetException")
                    || t.getClass().getName().startsWith("io.vertx.core.http.HttpClosed")
                    || t.getClass().getSimpleName().equals("VertxException") || t.getClass() == java.io.IOException.class) {
                return new UpstreamException(FailureCause.CONNECT, "upstream connection failed");
            }
        }
        return new UpstreamException(FailureCause.OTHER, "upstream request failed: " + failure.getClass().getName());
    }
}
