package dev.pwcheck.upstream;

import java.util.Locale;

/** Why a range could not be had from upstream; the value of the {@code cause} tag on failure metrics. */
public enum FailureCause {
    /** Connection refused, reset, DNS or TLS failure. */
    CONNECT,
    /** No complete answer within the upstream timeout. */
    TIMEOUT,
    /** Not a byte of an answer within the first-byte timeout: retried on another connection. */
    FIRST_BYTE_TIMEOUT,
    /** 500-599. */
    SERVER_ERROR,
    /** 429. */
    RATE_LIMITED,
    /** Any other non-200 status. */
    UNEXPECTED_STATUS,
    /** A 200 whose body is not lines of {@code SUFFIX:COUNT}, or is not valid gzip. */
    MALFORMED,
    /** A 200 whose body (decoded) is over the size or line cap. */
    TOO_LARGE,
    /** The circuit breaker is open: upstream failed too often lately, so it is not asked at all. */
    CIRCUIT_OPEN,
    /** Too many upstream requests already in flight and queued. */
    BULKHEAD_FULL,
    /** The same range failed moments ago and the negative TTL says not to ask again yet. */
    RECENT_FAILURE,
    /** Anything we did not foresee. */
    OTHER;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
