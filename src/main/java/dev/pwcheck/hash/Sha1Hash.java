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

    /** From the 20 bytes of a digest, without a round trip through hex text. */
    public static Sha1Hash ofDigest(byte[] digest) {
        if (digest.length != HEX_LENGTH / 2) {
            throw new IllegalArgumentException("a SHA-1 digest is 20 bytes");
        }
        // The suffix starts mid-byte (nibble 5), so each packed byte takes the low nibble of one digest byte and
        // the high nibble of the next; the last one keeps a zero low nibble, as Hex.packSuffix leaves it.
        byte[] suffix = new byte[Hex.SUFFIX_BYTES];
        for (int i = 0; i < Hex.SUFFIX_BYTES; i++) {
            int hi = digest[2 + i] & 0x0F;
            int lo = 3 + i < digest.length ? (digest[3 + i] >>> 4) & 0x0F : 0;
            suffix[i] = (byte) (hi << 4 | lo);
        }
        String prefix = Hex.upper(new byte[] { digest[0], digest[1], digest[2] }).substring(0, PREFIX_LENGTH);
        return new Sha1Hash(prefix, suffix);
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
