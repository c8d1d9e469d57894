package dev.pwcheck.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

import java.time.Duration;

/**
 * Token buckets on {@code /v1/*} and {@code /range/*}: one per authenticated caller, one per client IP for
 * requests without a caller (browsers asking {@code /range}, or {@code /v1} when authentication is off).
 */
@ConfigMapping(prefix = "pwcheck.rate-limit")
public interface RateLimitConfig {

    /** Limit requests at all. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Per client IP, for requests that carry no caller key. Generous by default so that a trial or a test script
     * on one host is not cut off; a deployment serving browsers sets it lower (the Kubernetes ConfigMap: 20/40).
     */
    @WithDefault("100")
    @Min(1)
    int perIpRate();

    @WithDefault("1000")
    @Min(1)
    int perIpBurst();

    /** Per authenticated caller (a registry's login flow may be busy: set it above its peak). */
    @WithDefault("1000")
    @Min(1)
    int perCallerRate();

    @WithDefault("2000")
    @Min(1)
    int perCallerBurst();

    /** Client IPs tracked at once; the least recently seen are forgotten (and start again with a full bucket). */
    @WithDefault("100000")
    @Min(1)
    int maxTrackedIps();

    /**
     * Where the buckets live: {@code none}, each replica its own (N replicas admit N budgets), or {@code redis}, in
     * the shared tier's Redis ({@code quarkus.redis.*}), one budget for all replicas.
     */
    @WithDefault("none")
    Shared shared();

    /** Budget for one shared-bucket decision; past it (or on any Redis failure) the replica uses its own buckets. */
    @WithDefault("100ms")
    Duration sharedTimeout();

    /** After a Redis failure, how long the replica limits with its own buckets before it tries Redis again. */
    @WithDefault("5s")
    Duration sharedRetry();

    enum Shared {
        NONE, REDIS
    }
}
