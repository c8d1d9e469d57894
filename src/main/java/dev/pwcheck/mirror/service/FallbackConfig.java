package dev.pwcheck.mirror.service;

import io.smallrye.config.ConfigMapping;

import java.nio.file.Path;
import java.util.Optional;

/** The store that answers for the most-seen hashes while the upstream cannot ({@code mirror top} writes it). */
@ConfigMapping(prefix = "pwcheck.fallback")
public interface FallbackConfig {

    /**
     * Directory holding {@code sha1.pwstore}, normally written by {@code mirror top}; unset, there is no fallback.
     * Watched like the mirror's directory ({@code pwcheck.mirror.reload-interval}, {@code pwcheck.mirror.verify-on-load}).
     */
    Optional<Path> dir();
}
