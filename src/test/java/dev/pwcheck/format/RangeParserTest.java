package dev.pwcheck.format;



import dev.pwcheck.hash.Hex;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RangeParserTest {

    private final RangeParser parser = new RangeParser(HashMode.SHA1, 2 * 1024 * 1024, 100_000);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int countOf(CompactRange range, String suffix) {
        return range.count(Hex.packSuffix(suffix, 0));
    }

    private RangeFormatException.Kind failureOf(RangeParser p, String body) {
        return assertThrows(RangeFormatException.class, () -> p.parse(bytes(body))).kind();
    }

    @Test
    void crlfAndLfLinesAreRead() {
        CompactRange range = parser.parse(bytes("0000000000000000000000000000000000A:1\r\n1111111111111111111111111111111111B:22\n"
                + "2222222222222222222222222222222222C:333"));
        assertEquals(3, range.size());
        assertEquals(22, countOf(range, "1111111111111111111111111111111111B"));
        assertEquals(333, countOf(range, "2222222222222222222222222222222222C"));
    }

    @Test
    void aLastLineMayEndInACarriageReturnOrANewlineButACarriageReturnAloneEndsNoLine() {
        assertEquals(2, parser.parse(bytes("0000000000000000000000000000000000A:1\r\n1111111111111111111111111111111111B:2\r")).size());
        assertEquals(2, parser.parse(bytes("0000000000000000000000000000000000A:1\n1111111111111111111111111111111111B:2\n")).size());
        assertEquals(RangeFormatException.Kind.MALFORMED,
                failureOf(parser, "0000000000000000000000000000000000A:1\r1111111111111111111111111111111111B:2"));
        assertEquals(RangeFormatException.Kind.MALFORMED, failureOf(parser, "0000000000000000000000000000000000A:1\n\n"));
        assertEquals(7, countOf(parser.parse(bytes("0000000000000000000000000000000000A:0000000007")), "0000000000000000000000000000000000A"));
    }

    @Test
    void paddingIsDroppedBeforeStoring() {
        CompactRange range = parser.parse(bytes("0000000000000000000000000000000000A:0\r\n1111111111111111111111111111111111B:2"));
        assertEquals(1, range.size());
        assertEquals(0, countOf(range, "0000000000000000000000000000000000A"));
    }

    @Test
    void aRangeParsedEarlierOnTheSameThreadIsNotChangedByTheNextParse() {
        CompactRange first = parser.parse(bytes("0000000000000000000000000000000000A:1\r\n1111111111111111111111111111111111B:2"));
        String before = first.fingerprint();

        CompactRange second = parser.parse(bytes("2222222222222222222222222222222222C:3\r\n3333333333333333333333333333333333D:4"));

        assertEquals(before, first.fingerprint());
        assertEquals(2, countOf(first, "1111111111111111111111111111111111B"));
        assertEquals(0, countOf(first, "3333333333333333333333333333333333D"));
        assertEquals(4, countOf(second, "3333333333333333333333333333333333D"));
    }

    @Test
    void answersOfEverySizeReadTheSameWhateverWasParsedBefore() {
        // Small, then larger than any room kept for records between parses (about 24,000 lines), then small again.
        for (int lines : new int[] {3, 2_000, 30_000, 5}) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < lines; i++) {
                body.append(String.format("%035X", i)).append(':').append(i + 1).append("\r\n");
            }
            CompactRange range = parser.parse(bytes(body.toString()));
            assertEquals(lines, range.size());
            assertEquals(1, countOf(range, String.format("%035X", 0)));
            assertEquals(lines, countOf(range, String.format("%035X", lines - 1)));
        }
    }

    @Test
    void anEmptyAnswerIsAnEmptyRange() {
        assertEquals(0, parser.parse(new byte[0]).size());
    }

    @Test
    void anyMalformedLineRejectsTheWholeAnswer() {
        String good = "0000000000000000000000000000000000A:1\r\n";
        for (String bad : new String[] {
                "<html>", "0000000000000000000000000000000000A", "0000000000000000000000000000000000A:",
                "0000000000000000000000000000000000:1", "0000000000000000000000000000000000AB:1", "000000000000000000000000000000000GA:1",
                "0000000000000000000000000000000000A:-1", "0000000000000000000000000000000000A:1 ", " 0000000000000000000000000000000000A:1",
                "0000000000000000000000000000000000A:1x", "0000000000000000000000000000000000A;1", "",
                "0000000000000000000000000000000000A:99999999999", "0000000000000000000000000000000000A:2147483648" }) {
            assertEquals(RangeFormatException.Kind.MALFORMED, failureOf(parser, good + bad + "\r\n" + good), bad);
        }
    }

    @Test
    void theLargestIntCountIsKept() {
        CompactRange range = parser.parse(bytes("0000000000000000000000000000000000A:2147483647"));
        assertEquals(Integer.MAX_VALUE, countOf(range, "0000000000000000000000000000000000A"));
    }

    @Test
    void anAnswerOverTheByteCapIsTooLarge() {
        RangeParser small = new RangeParser(HashMode.SHA1, 1024, 100_000);
        assertEquals(RangeFormatException.Kind.TOO_LARGE, failureOf(small, "0000000000000000000000000000000000A:1\n".repeat(30)));
    }

    @Test
    void anAnswerOverTheLineCapIsTooLarge() {
        RangeParser fewLines = new RangeParser(HashMode.SHA1, 2 * 1024 * 1024, 10);
        assertEquals(RangeFormatException.Kind.TOO_LARGE, failureOf(fewLines, "0000000000000000000000000000000000A:1\n".repeat(11)));
        assertEquals(1, fewLines.parse(bytes("0000000000000000000000000000000000A:1\n".repeat(10))).size());
    }

    @Test
    void answersOfTheShortestLinesFitAndOneMoreLineThanTheCapIsRefused() {
        // Lines as short as a line can be (suffix, colon, one digit, LF; the last without): the most an answer of
        // this size can hold, which is what the parser makes room for.
        for (HashMode mode : HashMode.values()) {
            int chars = mode.suffixChars();
            for (int lines : new int[] {1, 2, 3, 999, 1000}) {
                StringBuilder body = new StringBuilder();
                for (int i = 0; i < lines; i++) {
                    body.append(String.format("%0" + chars + "X", i)).append(":1");
                    if (i + 1 < lines) {
                        body.append('\n');
                    }
                }
                CompactRange range = new RangeParser(mode, 1 << 20, 1000).parse(body.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertEquals(lines, range.size(), mode + ", " + lines + " lines");
            }
            StringBuilder over = new StringBuilder();
            for (int i = 0; i < 11; i++) {
                over.append(String.format("%0" + chars + "X", i)).append(":1\n");
            }
            assertThrows(RangeFormatException.class, () -> new RangeParser(mode, 1 << 20, 10).parse(over.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
    }

    @Test
    void ntlmRangesHave27DigitSuffixes() {
        RangeParser ntlm = new RangeParser(HashMode.NTLM, 2 * 1024 * 1024, 100_000);
        CompactRange range = ntlm.parse(bytes("0000000000000000000000000A1:5\r\nFFFFFFFFFFFFFFFFFFFFFFFFFFF:0\r\n8888888888888888888888888BB:9"));
        assertEquals(2, range.size());
        assertEquals(27, range.suffixChars());
        assertEquals(9, range.count(Hex.packSuffix("8888888888888888888888888BB", 0, 27)));
        StringBuilder first = new StringBuilder();
        range.appendSuffix(0, first);
        assertEquals("0000000000000000000000000A1", first.toString());
        // A SHA-1 line in an NTLM answer (or the reverse) is malformed, not silently misread.
        assertEquals(RangeFormatException.Kind.MALFORMED, failureOf(ntlm, "0000000000000000000000000000000000A:1"));
        assertEquals(RangeFormatException.Kind.MALFORMED, failureOf(parser, "0000000000000000000000000A1:5"));
    }

    @Test
    void unsortedAnswersAreSortedAndDuplicatesKeepTheHighestCount() {
        CompactRange range = parser.parse(bytes("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:5\n0000000000000000000000000000000000A:7\n"
                + "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:9\n8888888888888888888888888888888888A:1"));
        assertEquals(3, range.size());
        assertEquals(9, countOf(range, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"));
        assertEquals(7, countOf(range, "0000000000000000000000000000000000A"));
        assertEquals(1, countOf(range, "8888888888888888888888888888888888A"));
    }

    @Test
    void orderIsJudgedOnTheWholeSuffixWhenTheFirstEightBytesTie() {
        // The first 16 digits are the same: only the rest says these two are out of order, or the same hash twice.
        CompactRange range = parser.parse(bytes("1234567890ABCDEF0000000000000000002:4\r\n1234567890ABCDEF0000000000000000001:6\r\n"
                + "1234567890ABCDEF0000000000000000002:8"));
        assertEquals(2, range.size());
        StringBuilder first = new StringBuilder();
        range.appendSuffix(0, first);
        assertEquals("1234567890ABCDEF0000000000000000001", first.toString(), "sorted by the whole suffix");
        assertEquals(8, countOf(range, "1234567890ABCDEF0000000000000000002"), "a repeated hash keeps its highest count");
        assertEquals(6, countOf(range, "1234567890ABCDEF0000000000000000001"));
    }

    /** What a line must parse to, read digit by digit by the import's line reader (the byte-at-a-time reference). */
    private static String reference(HashMode mode, String line) {
        byte[] packed = new byte[mode.suffixBytes()];
        byte[] text = bytes(line);
        int count = RangeParser.parseLine(text, 0, text.length, mode.suffixChars(), packed, 0);
        if (count < 0) {
            return "malformed";
        }
        StringBuilder out = new StringBuilder();
        Hex.appendSuffix(packed, 0, mode.suffixChars(), out);
        return out + ":" + count;
    }

    private static String parsed(RangeParser p, String answer) {
        try {
            CompactRange range = p.parse(bytes(answer));
            if (range.size() != 1) {
                return range.size() + " records";
            }
            StringBuilder out = new StringBuilder();
            range.appendSuffix(0, out);
            return out + ":" + range.countAt(0);
        } catch (RangeFormatException e) {
            return "malformed";
        }
    }

    @Test
    void everyByteInEveryPlaceOfASuffixIsJudgedAsTheDigitByDigitReaderJudgesIt() {
        // The suffix is read 8 digits at a time in the lanes of a long: every byte value in each of the 35 places
        // (and the colon's) must be refused or read exactly as one digit at a time would: '/' and ':' border the
        // digits, '@', 'G', '`' and 'g' the letters, and bytes of 0x80 and up set the bit the lane tests use.
        String base = "0aF9b3C7d1E5f2A8c4B6e0D9a7C3f5E1b2D";
        for (int place = 0; place <= base.length(); place++) {
            for (int b = 0; b < 256; b++) {
                char[] line = (base + ":42").toCharArray();
                line[place] = (char) b;
                String text = new String(line);
                String answer = new String(line);
                assertEquals(reference(HashMode.SHA1, text), parsed(parser, answer), "byte " + b + " in place " + place);
            }
        }
    }

    @Test
    void countsOfEveryLengthAreReadAsTheDigitByDigitReaderReadsThem() {
        java.util.Random random = new java.util.Random(10);
        String suffix = "0123456789ABCDEF0123456789ABCDEF012";
        for (int digits = 1; digits <= 11; digits++) {
            for (int round = 0; round < 200; round++) {
                StringBuilder count = new StringBuilder();
                for (int i = 0; i < digits; i++) {
                    count.append((char) ('0' + random.nextInt(10)));
                }
                // Alone (the count runs to the end of the answer), before a line end, and before a bad byte.
                for (String after : new String[] {"", "\r\n", "\n", "x", "\r"}) {
                    String line = suffix + ":" + count;
                    String expected = after.equals("x") ? "malformed" : reference(HashMode.SHA1, line);
                    if (expected.endsWith(":0")) {
                        expected = "0 records"; // padding
                    }
                    assertEquals(expected, parsed(parser, line + after), "count " + count + " then " + after.replace("\r", "CR").replace("\n", "LF"));
                }
            }
        }
    }

    @Test
    void randomAnswersOfBothCorporaAreReadAsTheDigitByDigitReaderReadsThem() {
        java.util.Random random = new java.util.Random(35);
        String digits = "0123456789abcdefABCDEF";
        for (HashMode mode : new HashMode[] {HashMode.SHA1, HashMode.NTLM}) {
            RangeParser p = new RangeParser(mode, 2 * 1024 * 1024, 100_000);
            for (int round = 0; round < 2_000; round++) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < mode.suffixChars(); i++) {
                    line.append(digits.charAt(random.nextInt(digits.length())));
                }
                line.append(':').append(1 + random.nextInt(Integer.MAX_VALUE >> random.nextInt(31)));
                String expected = reference(mode, line.toString());
                assertEquals(expected, parsed(p, line + (random.nextBoolean() ? "\r\n" : "")), line.toString());
            }
        }
    }
}
