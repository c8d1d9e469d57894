package dev.pwcheck.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/** Caller authentication for {@code /v1/*}. */
@ConfigMapping(prefix = "pwcheck.auth")
public interface AuthConfig {

    /**
     * Check {@code Authorization: Bearer <key>} on {@code /v1/*}. With this on and keys configured, a call without
     * a valid key is refused; {@code false} turns authentication off even when keys are configured.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The callers: {@code name:sha256hex} entries, comma-separated, e.g.
     * {@code login:9f86d0...,registration:60303a...,reset:fd61a0...}. The hex is SHA-256 of the key the caller
     * sends; the keys themselves are never configured here. Normally from a Secret.
     */
    Optional<List<String>> apiKeyHashes();
}
