package dev.pwcheck.upstream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * {@code pwcheck.deadline}: the longest a check waits for its range. Read here, the lowest layer that needs it: the
 * upstream client keeps its retries within it, and the lookup order answers from a stale range (or unknown) past it.
 */
@ConfigMapping(prefix = "pwcheck")
public interface DeadlineConfig {

    /** No check answers later than this: past it the answer is the stale range if one is cached, else unknown. */
    @WithDefault("2s")
    Duration deadline();
}
