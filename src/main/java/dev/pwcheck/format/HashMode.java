package dev.pwcheck.format;

import java.util.Locale;
import java.util.Optional;

/**
 * The two corpora the range API serves: SHA-1 hashes (40 hex, the default) and NTLM hashes (32 hex, asked for
 * with {@code ?mode=ntlm}). Both are split after 5 hex digits; only the suffix length differs.
 */
public enum HashMode {
    SHA1(35),
    NTLM(27);

    private final int suffixChars;

    HashMode(int suffixChars) {
        this.suffixChars = suffixChars;
    }

    /** Hex digits in a suffix (an odd number, so the last packed byte keeps a zero low nibble). */
    public int suffixChars() {
        return suffixChars;
    }

    /** Bytes a packed suffix takes. */
    public int suffixBytes() {
        return (suffixChars + 1) / 2;
    }

    /** The {@code mode} query parameter value. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code null} (absent) is SHA-1; an unknown name is empty. */
    public static Optional<HashMode> fromWire(String mode) {
        if (mode == null) {
            return Optional.of(SHA1);
        }
        for (HashMode candidate : values()) {
            if (candidate.wire().equalsIgnoreCase(mode.trim())) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
