package dev.pwcheck.hash;

/**
 * Hex helpers shared by the hasher (our own digests) and the range parser (untrusted upstream text).
 * Suffixes are packed two nibbles a byte so a cached range needs 18 bytes per hash instead of a 35-char String.
 */
public final class Hex {

    /** Hex characters in a range suffix: a SHA-1 is 40, the first 5 travel as the prefix. */
    public static final int SUFFIX_CHARS = 35;
    /** Bytes a packed suffix takes; the last low nibble is always zero. */
    private static final char[] UPPER_DIGITS = "0123456789ABCDEF".toCharArray();
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

    private Hex() {
    }

    /** Byte value of every pair of hex digits (first digit high), indexed by the pair's two bytes; -1 for a non-pair. */
    private static final short[] PAIRS = new short[1 << 16];

    static {
        java.util.Arrays.fill(PAIRS, (short) -1);
        for (int hi = 0; hi < 256; hi++) {
            for (int lo = 0; lo < 256; lo++) {
                if (NIBBLES[hi] >= 0 && NIBBLES[lo] >= 0) {
                    PAIRS[hi << 8 | lo] = (short) (NIBBLES[hi] << 4 | NIBBLES[lo]);
                }
            }
        }
    }

    /**
     * The byte two hex digits (any case) spell, first digit high, or -1 when either is not a hex digit. One lookup
     * in a 128 KB table of which a sync touches about 4 KB: cheaper per digit than arithmetic, most of all before the
     * JIT's last tier (a sync is short enough to run mostly there).
     */
    public static int pair(byte hi, byte lo) {
        return PAIRS[(hi & 0xff) << 8 | (lo & 0xff)];
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

    /**
     * The name of range {@code prefix} (0 to 0xFFFFF): its 5 hex digits, upper case, as the range API spells it. A
     * sync names a million ranges, and {@code String.format} parses its pattern with a regex each time.
     */
    public static String prefix(int prefix) {
        char[] name = new char[5];
        for (int i = 4, v = prefix; i >= 0; i--, v >>>= 4) {
            name[i] = UPPER_DIGITS[v & 0xF];
        }
        return new String(name);
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
