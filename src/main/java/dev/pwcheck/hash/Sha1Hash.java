package dev.pwcheck.hash;

import java.util.Locale;

/**
 * A SHA-1 split the way k-anonymity needs it: a 5-hex prefix that may travel to the upstream, and a suffix that
 * never leaves the process. {@link #toString()} deliberately reveals nothing, so a hash that slips into a log
 * line or an exception message leaks nothing either.
 */
public final class Sha1Hash {

    public static final int HEX_LENGTH = 40;
    public static final int PREFIX_LENGTH = 5;

    private final String prefix;
    private final byte[] suffix;

    private Sha1Hash(String prefix, byte[] suffix) {
        this.prefix = prefix;
        this.suffix = suffix;
    }

    /** @throws IllegalArgumentException when {@code hex} is not 40 hex digits (the message never echoes it) */
    public static Sha1Hash ofHex(String hex) {
        if (hex == null || hex.length() != HEX_LENGTH || !Hex.isHex(hex)) {
            throw new IllegalArgumentException("a SHA-1 is 40 hexadecimal characters");
        }
        return new Sha1Hash(hex.substring(0, PREFIX_LENGTH).toUpperCase(Locale.ROOT), Hex.packSuffix(hex, PREFIX_LENGTH));
    }

    /** The 5 uppercase hex digits that name the range: the only part of the hash the upstream ever sees. */
    public String prefix() {
        return prefix;
    }

    /** The remaining 35 hex digits, packed as {@link Hex#packSuffix(CharSequence, int)} does. */
    public byte[] packedSuffix() {
        return suffix;
    }

    @Override
    public String toString() {
        return "Sha1Hash[redacted]";
    }
}
