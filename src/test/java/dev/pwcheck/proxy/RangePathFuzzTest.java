package dev.pwcheck.proxy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.problem.ProblemException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /range/{prefix}?mode=}, any path segment and any query value (or none): a range asked for is five upper-case
 * hex digits and a corpus, exactly when the request named them; anything else is a 400 problem with a short fixed
 * detail that never quotes what was sent.
 */
class RangePathFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void rangePath(FuzzedDataProvider data) {
        String prefix = data.consumeString(16);
        String mode = data.consumeBoolean() ? null : data.consumeRemainingAsString();
        try {
            RangePath asked = RangePath.parse(prefix, mode);
            assertTrue(asked.prefix().matches("[0-9A-F]{5}"), asked.prefix());
            assertTrue(prefix.equalsIgnoreCase(asked.prefix()));
            assertEquals(mode == null || mode.trim().equalsIgnoreCase("sha1") ? HashMode.SHA1 : HashMode.NTLM, asked.mode(), mode);
        } catch (ProblemException refused) {
            assertEquals(400, refused.problem().status());
            String detail = refused.problem().detail();
            // One of two fixed texts: nothing of the request is in it.
            assertTrue(detail.equals("the prefix must be 5 hexadecimal characters") || detail.equals("mode must be sha1 or ntlm"), detail);
        }
    }
}
