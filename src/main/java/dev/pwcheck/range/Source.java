package dev.pwcheck.range;

import java.util.Locale;

/** Where the range behind an answer came from: the value of the {@code X-Pwcheck-Source} header. */
public enum Source {
    /** A cached range within its TTL. */
    CACHE,
    /** Fetched from the upstream for this check. */
    UPSTREAM,
    /** An expired cached range, served because the upstream failed. */
    STALE,
    /** The offline mirror store. */
    MIRROR,
    /** The top-N fallback store, answering while the upstream cannot: only ever with a breached verdict. */
    FALLBACK,
    /** No range: the verdict is unknown. */
    NONE;

    /** The response header that carries the source, on checks and on {@code /range}. */
    public static final String HEADER = "X-Pwcheck-Source";

    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
