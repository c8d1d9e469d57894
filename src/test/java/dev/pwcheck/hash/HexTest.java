package dev.pwcheck.hash;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The 8-digits-at-once decoder must agree with the one-digit table on every byte value in every position. */
class HexTest {

    private static final byte[] DIGITS = "0123456789ABCDEFabcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void pack8AcceptsExactlyTheHexDigitsInEveryPosition() {
        Random random = new Random(8);
        for (int position = 0; position < 8; position++) {
            for (int value = 0; value < 256; value++) {
                byte[] text = new byte[10];
                for (int i = 0; i < text.length; i++) {
                    text[i] = DIGITS[random.nextInt(DIGITS.length)];
                }
                text[1 + position] = (byte) value;
                byte[] packed = {1, 2, 3, 4, 5, 6};
                boolean hex = Hex.nibble((byte) value) >= 0;
                assertEquals(hex, Hex.pack8(text, 1, packed, 1), "byte " + value + " at " + position);
                if (hex) {
                    assertArrayEquals(bySingleDigits(text, 1), java.util.Arrays.copyOfRange(packed, 1, 5), "byte " + value + " at " + position);
                } else {
                    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, packed, "a refused group leaves the output as it was");
                }
                assertEquals(1, packed[0], "nothing written before the output offset");
                assertEquals(6, packed[5], "nothing written past the 4 bytes");
            }
        }
    }

    @Test
    void pack8DecodesRandomDigitsAsTheTableDoes() {
        Random random = new Random(16);
        for (int round = 0; round < 100_000; round++) {
            byte[] text = new byte[8];
            for (int i = 0; i < 8; i++) {
                text[i] = DIGITS[random.nextInt(DIGITS.length)];
            }
            byte[] packed = new byte[4];
            Hex.pack8(text, 0, packed, 0);
            assertArrayEquals(bySingleDigits(text, 0), packed);
        }
    }

    private static byte[] bySingleDigits(byte[] text, int from) {
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) (Hex.nibble(text[from + 2 * i]) << 4 | Hex.nibble(text[from + 2 * i + 1]));
        }
        return out;
    }
}
