package dev.pwcheck.range;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

import java.time.Duration;

/** The in-process range cache. */
@ConfigMapping(prefix = "pwcheck.cache")
public interface CacheConfig {

    /** Heap the cached ranges may take, counted from their compact form (about 22 bytes a hash). */
    @WithDefault("268435456")
    @Min(0)
    long maxBytes();

    /** How long a range is served without asking upstream again; the corpus changes slowly. */
    @WithDefault("24h")
    Duration ttl();

    /** How long past its TTL an expired range is kept to answer (as stale) while upstream fails. */
    @WithDefault("7d")
    Duration maxStale();

    /** After a failed refresh, how long stale answers are served before upstream is tried again. */
    @WithDefault("30s")
    Duration staleRetryBackoff();

    /** How long a failed fetch of an uncached range is remembered, answering unknown without asking; 0 = never. */
    @WithDefault("0s")
    Duration negativeTtl();
}
