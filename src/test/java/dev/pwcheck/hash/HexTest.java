package dev.pwcheck.hash;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pair table the range parser reads digits with must agree with the one-digit table on every pair of bytes. */
class HexTest {

    @Test
    void pairAcceptsExactlyTwoHexDigitsAndSpellsTheirByte() {
        for (int hi = 0; hi < 256; hi++) {
            for (int lo = 0; lo < 256; lo++) {
                int expected = Hex.nibble((byte) hi) >= 0 && Hex.nibble((byte) lo) >= 0
                        ? Hex.nibble((byte) hi) << 4 | Hex.nibble((byte) lo) : -1;
                assertEquals(expected, Hex.pair((byte) hi, (byte) lo), "bytes " + hi + ", " + lo);
            }
        }
    }

    @Test
    void aDigitEitherCaseIsTheSameByte() {
        assertEquals(0xAF, Hex.pair((byte) 'a', (byte) 'F'));
        assertEquals(0xAF, Hex.pair((byte) 'A', (byte) 'f'));
        assertEquals(0x09, Hex.pair((byte) '0', (byte) '9'));
    }

    @Test
    void prefixIsFiveUpperCaseDigits() {
        assertEquals("00000", Hex.prefix(0));
        assertEquals("0ABCD", Hex.prefix(0x0ABCD));
        assertEquals("FFFFF", Hex.prefix(0xFFFFF));
    }
}
