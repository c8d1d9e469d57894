package dev.pwcheck.format;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An upstream's range answer, any bytes: the parser either gives a range within its caps or refuses with a
 * {@link RangeFormatException}, nothing else; and a range it gives, written back as {@code SUFFIX:COUNT} lines, parses to
 * the same range. Seeds and past findings: {@code src/test/resources/dev/pwcheck/format/RangeParserFuzzTestInputs}.
 */
class RangeParserFuzzTest {

    static final int MAX_BYTES = 64 * 1024;
    static final int MAX_LINES = 2_000;

    @FuzzTest(maxDuration = "60s")
    void rangeAnswer(byte[] answer) {
        // The first byte picks the corpus, so one corpus of seeds covers both suffix lengths.
        HashMode mode = answer.length > 0 && (answer[0] & 1) == 1 ? HashMode.NTLM : HashMode.SHA1;
        CompactRange range;
        try {
            range = new RangeParser(mode, MAX_BYTES, MAX_LINES).parse(answer);
        } catch (RangeFormatException refused) {
            assertNotNull(refused.kind());
            assertTrue(refused.getMessage().length() < 200, "a refusal names the fault, never the answer");
            return;
        }
        assertTrue(range.size() <= MAX_LINES, "no more records than the line cap");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < range.size(); i++) {
            range.appendSuffix(i, text);
            text.append(':').append(range.countAt(i)).append("\r\n");
        }
        CompactRange again = new RangeParser(mode, 4 * MAX_BYTES, MAX_LINES).parse(text.toString().getBytes(StandardCharsets.US_ASCII));
        assertEquals(range.size(), again.size());
        assertEquals(range.fingerprint(), again.fingerprint(), "a range written back parses to itself");
    }
}
