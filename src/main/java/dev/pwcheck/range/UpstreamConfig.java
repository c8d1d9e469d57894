package dev.pwcheck.range;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.time.Duration;

/** How we talk to the HIBP range API. The base URL itself is {@code quarkus.rest-client.hibp.url}. */
@ConfigMapping(prefix = "pwcheck.upstream")
public interface UpstreamConfig {

    /** Whole-request budget for one range fetch (connect + answer), after which the check answers unknown. */
    @WithDefault("2s")
    Duration timeout();

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
}
