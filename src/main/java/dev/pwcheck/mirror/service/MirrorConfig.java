package dev.pwcheck.mirror.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The offline mirror the service answers from when {@code pwcheck.source} says so. */
@ConfigMapping(prefix = "pwcheck.mirror")
public interface MirrorConfig {

    /** Directory of the store files ({@code sha1.pwstore}, {@code ntlm.pwstore}) that {@code mirror sync|import} write. */
    Optional<Path> dir();

    /** How often the directory is checked for a new store, which then replaces the old one without a restart. */
    @WithDefault("30s")
    Duration reloadInterval();

    /** Checksum every record of a store before it answers (reads the file once, which also warms the page cache). */
    @WithDefault("true")
    boolean verifyOnLoad();
}
