package dev.pwcheck.hash;

/**
 * Hex helpers shared by the hasher (our own digests) and the range parser (untrusted upstream text).
 * Suffixes are packed two nibbles a byte so a cached range needs 18 bytes per hash instead of a 35-char String.
 */
public final class Hex {

    /** Hex characters in a range suffix: a SHA-1 is 40, the first 5 travel as the prefix. */
    public static final int SUFFIX_CHARS = 35;
    /** Bytes a packed suffix takes; the last low nibble is always zero. */
    public static final int SUFFIX_BYTES = (SUFFIX_CHARS + 1) / 2;

    private static final char[] UPPER = "0123456789ABCDEF".toCharArray();
    /** Each byte's value as a hex digit, any case, or -1: one load instead of three range tests on the parse path. */
    private static final byte[] NIBBLES = new byte[256];

    static {
        java.util.Arrays.fill(NIBBLES, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            NIBBLES[c] = (byte) (c - '0');
        }
        for (int c = 'A'; c <= 'F'; c++) {
            NIBBLES[c] = (byte) (c - 'A' + 10);
            NIBBLES[c + ('a' - 'A')] = (byte) (c - 'A' + 10);
        }
    }

    private static final java.lang.invoke.VarHandle LONG_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle INT_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGHS = 0x8080_8080_8080_8080L;

    private Hex() {
    }

    /**
     * Packs the 8 hex digits (any case) at {@code src[from]} into 4 bytes at {@code dst[at]}, testing and converting
     * all 8 at once in one long (SWAR): a range answer is 35 digits a line, and this is most of what a sync computes.
     * {@code src} must hold 8 bytes from {@code from}.
     *
     * @return false when one of them is not a hex digit ({@code dst} is then left as it was)
     */
    public static boolean pack8(byte[] src, int from, byte[] dst, int at) {
        long x = (long) LONG_LE.get(src, from);
        // Each byte's top bit marks its test; adding to a byte below 0x80 never carries into the next one.
        long digit = (x + 0x50 * ONES) & ~(x + 0x46 * ONES) & HIGHS; // '0'..'9'
        long lower = x | 0x20 * ONES;
        long letter = (lower + 0x1F * ONES) & ~(lower + 0x19 * ONES) & HIGHS; // 'a'..'f', either case
        if ((x & HIGHS) != 0 || (digit | letter) != HIGHS) {
            return false;
        }
        long nibbles = (x & 0x0F * ONES) + (letter >>> 7) * 9;
        // Byte i holds the nibble of digit i: pairs become bytes (first digit high), then the 4 bytes close up.
        long pairs = ((nibbles & 0x000F_000F_000F_000FL) << 4) | ((nibbles >>> 8) & 0x000F_000F_000F_000FL);
        pairs = (pairs | pairs >>> 8) & 0x0000_FFFF_0000_FFFFL;
        pairs = (pairs | pairs >>> 16) & 0xFFFF_FFFFL;
        INT_LE.set(dst, at, (int) pairs);
        return true;
    }

    /** Value of one hex digit, any case, or -1 when {@code c} is not one. */
    public static int nibble(int c) {
        return c >= 0 && c < 256 ? NIBBLES[c] : -1;
    }

    /** As {@link #nibble(int)}, for a byte of text. */
    public static int nibble(byte b) {
        return NIBBLES[b & 0xff];
    }

    public static boolean isHex(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (nibble(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Packs {@link #SUFFIX_CHARS} hex digits read from {@code src} at {@code from} into {@code dst} at {@code at}.
     *
     * @return false when one of them is not a hex digit (dst is then partly written and must be discarded)
     */
    public static boolean packSuffix(byte[] src, int from, byte[] dst, int at) {
        return packSuffix(src, from, dst, at, SUFFIX_CHARS);
    }

    /** As {@link #packSuffix(byte[], int, byte[], int)}, for a suffix of {@code chars} (odd) hex digits. */
    public static boolean packSuffix(byte[] src, int from, byte[] dst, int at, int chars) {
        for (int i = 0; i < chars; i += 2) {
            int hi = nibble(src[from + i]);
            int lo = i + 1 < chars ? nibble(src[from + i + 1]) : 0;
            if ((hi | lo) < 0) {
                return false;
            }
            dst[at + i / 2] = (byte) (hi << 4 | lo);
        }
        return true;
    }

    /** As {@link #packSuffix(byte[], int, byte[], int)}, from characters. */
    public static byte[] packSuffix(CharSequence src, int from) {
        return packSuffix(src, from, SUFFIX_CHARS);
    }

    /** As {@link #packSuffix(CharSequence, int)}, for a suffix of {@code chars} (odd) hex digits. */
    public static byte[] packSuffix(CharSequence src, int from, int chars) {
        byte[] dst = new byte[(chars + 1) / 2];
        for (int i = 0; i < chars; i += 2) {
            int hi = nibble(src.charAt(from + i));
            int lo = i + 1 < chars ? nibble(src.charAt(from + i + 1)) : 0;
            if ((hi | lo) < 0) {
                throw new IllegalArgumentException("not a hex suffix");
            }
            dst[i / 2] = (byte) (hi << 4 | lo);
        }
        return dst;
    }

    /** Appends the packed suffix at {@code at} as {@code chars} uppercase hex digits. */
    public static void appendSuffix(byte[] packed, int at, int chars, StringBuilder out) {
        for (int i = 0; i < chars; i++) {
            int b = packed[at + i / 2];
            out.append(UPPER[(i & 1) == 0 ? (b >>> 4) & 0xF : b & 0xF]);
        }
    }

    public static String upper(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = UPPER[(bytes[i] >>> 4) & 0xF];
            out[2 * i + 1] = UPPER[bytes[i] & 0xF];
        }
        return new String(out);
    }
}
