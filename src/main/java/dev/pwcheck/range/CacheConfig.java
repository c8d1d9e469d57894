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

    /** The second tier shared by replicas: {@code none} (in-process only) or {@code redis} (uses {@code quarkus.redis.hosts}). */
    @WithDefault("none")
    Shared shared();

    /** Budget for one shared-tier read; past it (or on any Redis failure) the check carries on without the tier. */
    @WithDefault("250ms")
    Duration sharedTimeout();

    enum Shared {
        NONE,
        REDIS
    }

    /** How long a failed fetch of an uncached range is remembered, answering unknown without asking; 0 = never. */
    @WithDefault("0s")
    Duration negativeTtl();
}
