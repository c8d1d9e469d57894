package dev.pwcheck.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

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
}
