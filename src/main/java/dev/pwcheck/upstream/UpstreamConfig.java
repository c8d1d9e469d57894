package dev.pwcheck.upstream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.time.Duration;
import java.util.Optional;

/**
 * How we talk to the HIBP range API, for the service and for {@code mirror sync} alike. Where it is ({@code url}, the
 * timeouts, the trust store) has no default here: {@link UpstreamTarget} reads these keys, else their old names
 * ({@code quarkus.rest-client.hibp.*}), else its defaults, and says at start-up which it used.
 */
@ConfigMapping(prefix = "pwcheck.upstream")
public interface UpstreamConfig {

    /** Base URL of the range API; ranges are at {@code {url}/range/{PREFIX}}. Unset: https://api.pwnedpasswords.com. */
    Optional<String> url();

    /** TCP (and TLS) connect timeout, a duration such as {@code 300ms}. Unset: 300 ms. */
    Optional<Duration> connectTimeout();

    /** Longest silence while an answer arrives, a duration such as {@code 800ms}. Unset: 800 ms. */
    Optional<Duration> readTimeout();

    /** Trust store for an https upstream behind a private CA: a file, or {@code classpath:} and a resource. Unset: the JDK's CAs. */
    Optional<String> trustStore();

    /** Its password (JKS, PKCS12). */
    Optional<String> trustStorePassword();

    /** {@code JKS}, {@code PKCS12} or {@code PEM}. Unset: by extension ({@code .jks}, {@code .pem}/{@code .crt}, else PKCS12). */
    Optional<String> trustStoreType();

    /** Budget for one upstream request (connect + whole answer); a slower attempt fails as a timeout. */
    @WithDefault("1s")
    Duration timeout();

    /**
     * Longest wait for the first byte of an answer once the request is sent; past it the connection is closed and the
     * attempt retried on another, so one silent connection costs this much of the deadline, not the whole attempt.
     */
    @WithDefault("400ms")
    Duration firstByteTimeout();

    /** Ask for gzip (inflated here, the size cap applying to the decoded bytes). */
    @WithDefault("true")
    boolean compression();

    /** Offer HTTP/2 through ALPN on an https upstream (HTTP/1.1 where the upstream does not take it). */
    @WithDefault("true")
    boolean http2();

    /**
     * How many times one attempt is sent again at once on a fresh connection when the reused connection it went out
     * on turns out to have been closed by the peer before any answer (not counted as failures or retries).
     */
    @WithDefault("3")
    @Min(0)
    int reconnectRetries();

    Pool pool();

    /** Sent on every upstream request; HIBP asks API users to identify themselves. */
    @WithDefault("pwcheck/1.0 (compromised-password checking service)")
    String userAgent();

    /** Larger answers are refused as an upstream failure (a real range is ~40 KiB, padded ~60 KiB). */
    @WithDefault("2097152")
    @Min(1024)
    @Max(64 * 1024 * 1024)
    int maxBodyBytes();

    /** Answers with more lines are refused as an upstream failure (a real range has ~1,000). */
    @WithDefault("100000")
    @Min(1)
    int maxLines();

    Retry retry();

    CircuitBreaker circuitBreaker();

    Bulkhead bulkhead();

    /** The keep-alive connections to the upstream. */
    interface Pool {
        /** HTTP/1.1 connections at most (an HTTP/2 upstream gets one connection carrying many requests). */
        @WithDefault("32")
        @Min(1)
        int maxConnections();

        /** A pooled connection idle this long is closed by us (whole seconds). */
        @WithDefault("30s")
        Duration idleTimeout();
    }

    /** Retries of transient failures only: connect failure or reset, no first byte in time, 502/503/504, 429. Always within pwcheck.deadline. */
    interface Retry {
        /** Retries after the first attempt; 0 turns retrying off. */
        @WithDefault("2")
        @Min(0)
        int maxRetries();

        /** First back-off; each retry doubles the ceiling, and the actual wait is drawn at random below it (full jitter). */
        @WithDefault("50ms")
        Duration delay();

        /** Ceiling of the back-off. */
        @WithDefault("500ms")
        Duration maxDelay();

        /** A Retry-After up to this long is honoured as the wait; a longer one means no retry for this check. */
        @WithDefault("1s")
        Duration retryAfterCap();
    }

    /** Stops asking a failing upstream: while open, checks answer at once from stale cache or unknown. */
    interface CircuitBreaker {
        /** Requests in the rolling window the failure ratio is measured over. */
        @WithDefault("20")
        @Min(1)
        int requestVolumeThreshold();

        /** Share of failed requests in the window that opens the breaker. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long the breaker stays open before a half-open probe. */
        @WithDefault("5s")
        Duration delay();

        /** Successful probes that close it again. */
        @WithDefault("1")
        @Min(1)
        int successThreshold();
    }

    /** Caps concurrent upstream requests so a slow upstream cannot pile up connections. */
    interface Bulkhead {
        @WithDefault("32")
        @Min(1)
        int limit();

        /** Requests waiting for a slot; beyond it a fetch fails at once as bulkhead_full. */
        @WithDefault("128")
        @Min(1)
        int queue();
    }
}
