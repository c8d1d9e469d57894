package dev.pwcheck.check;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The answer to "has this password been seen in a breach?". */
public enum Verdict {
    /** In the corpus at least {@code pwcheck.min-count} times. */
    BREACHED,
    /** Not in the corpus, or seen fewer times than the threshold. */
    CLEAN,
    /** No range could be had: we do not guess. */
    UNKNOWN;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
