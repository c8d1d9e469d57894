package dev.pwcheck.check;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

import java.util.List;
import java.util.Optional;

/** The verdict policy: the breach threshold and the service's own context words ({@code pwcheck.deadline} is {@code DeadlineConfig}'s). */
@ConfigMapping(prefix = "pwcheck")
public interface CheckConfig {

    /** A hash seen at least this many times is breached; below it, clean. At least 1, so padding never counts. */
    @WithDefault("1")
    @Min(1)
    int minCount();

    /**
     * The service's own words that must not be passwords (its name, the registry's name: {@code rubygems,gem}),
     * compared like the request's context words. Unset: none.
     */
    Optional<List<String>> contextWords();
}
