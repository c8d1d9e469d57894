package dev.pwcheck.proxy;

import dev.pwcheck.format.CompactRange;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Writes a range the way the HIBP range API does: {@code SUFFIX:COUNT} lines, uppercase hex (35 digits for
 * SHA-1, 27 for NTLM), sorted,
 * CRLF between lines. With padding, random count-0 lines are merged in so that the answer holds a random number
 * of lines (at least 800 to 1,000, a little more for larger ranges) and its size says nothing about the prefix.
 */
final class RangeText {

    static final int PAD_MIN = 800;
    static final int PAD_MAX = 1000;
    /** Added on top of a range already past its random target, so even large ranges vary in size. */
    private static final int PAD_EXTRA_MAX = 64;

    /** Seeded at run time, per instance: padding must not be predictable from a build-time seed. */
    private static final SecureRandom SEEDS = new SecureRandom();

    private RangeText() {
    }

    static String write(CompactRange range, boolean padded) {
        String[] padding = padded ? padding(range.size(), range.suffixChars()) : new String[0];
        StringBuilder out = new StringBuilder((range.size() + padding.length) * (range.suffixChars() + 5));
        StringBuilder suffix = new StringBuilder(range.suffixChars());
        int p = 0;
        for (int i = 0; i < range.size(); i++) {
            suffix.setLength(0);
            range.appendSuffix(i, suffix);
            while (p < padding.length && padding[p].compareTo(suffix.toString()) < 0) {
                line(out, padding[p++], 0);
            }
            if (p < padding.length && padding[p].contentEquals(suffix)) {
                p++; // a padding suffix equal to a real one would duplicate it; the real line wins
            }
            line(out, suffix, range.countAt(i));
        }
        while (p < padding.length) {
            line(out, padding[p++], 0);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, CharSequence suffix, int count) {
        if (out.length() > 0) {
            out.append("\r\n");
        }
        out.append(suffix).append(':').append(count);
    }

    private static String[] padding(int realEntries, int suffixChars) {
        SplittableRandom random = new SplittableRandom(SEEDS.nextLong());
        int target = Math.max(realEntries, random.nextInt(PAD_MIN, PAD_MAX + 1)) + random.nextInt(PAD_EXTRA_MAX + 1);
        String[] padding = new String[target - realEntries];
        char[] digits = new char[suffixChars];
        for (int i = 0; i < padding.length; i++) {
            for (int d = 0; d < digits.length; d++) {
                digits[d] = "0123456789ABCDEF".charAt(random.nextInt(16));
            }
            padding[i] = new String(digits);
        }
        Arrays.sort(padding);
        return padding;
    }
}
