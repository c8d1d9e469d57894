package dev.pwcheck.mirror.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where ranges come from. */
@ConfigMapping(prefix = "pwcheck")
public interface SourceConfig {

    /**
     * {@code upstream} (the HIBP API through the cache), {@code mirror} (the offline store only: nothing leaves the
     * process) or {@code mirror-then-upstream} (the store, and the upstream for ranges or corpora it lacks).
     */
    @WithDefault("upstream")
    RangeSourceMode source();

    enum RangeSourceMode {
        UPSTREAM,
        MIRROR,
        MIRROR_THEN_UPSTREAM;

        boolean usesMirror() {
            return this != UPSTREAM;
        }

        boolean usesUpstream() {
            return this != MIRROR;
        }
    }
}
