package dev.pwcheck.mirror.sync;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pwcheck.upstream.FailureCause;
import dev.pwcheck.upstream.UpstreamException;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An answer to one of the sync's requests, any bytes, handed over in pieces of any size as a socket would (the first
 * byte sets the size), then the connection closed: it is read whole, with a status and a body under the cap, or
 * refused as a malformed or too large answer; nothing else escapes, and no piece is taken past its end.
 */
class SyncAnswerFuzzTest {

    static final int CAP = 64 * 1024;

    @FuzzTest(maxDuration = "60s")
    void syncAnswer(byte[] data) {
        ResponseReader reader = new ResponseReader(CAP);
        int piece = data.length == 0 ? 1 : (data[0] & 0xff) + 1;
        try {
            for (int at = Math.min(1, data.length); at < data.length && !reader.done(); ) {
                int end = Math.min(data.length, at + piece);
                int ended = reader.feed(data, at, end);
                assertTrue(ended >= at && ended <= end, "an answer ends inside the bytes it was given");
                at = ended;
                if (ended < end) {
                    assertTrue(reader.done(), "bytes are left over only after a whole answer");
                }
            }
            if (!reader.done()) {
                reader.closed();
            }
            assertTrue(reader.done());
            assertTrue(reader.status() >= 200 && reader.status() <= 599, "status " + reader.status());
            // No body kept for an answer the sync does not read (a 304, a 429): nothing to cap.
            assertTrue(reader.bodyBytes() <= CAP && (reader.body() == null || reader.body().length() <= CAP), "the body is under the cap");
        } catch (UpstreamException refused) {
            FailureCause cause = refused.failureCause();
            assertTrue(cause == FailureCause.MALFORMED || cause == FailureCause.TOO_LARGE, cause.name());
            String message = refused.getMessage();
            assertTrue(message.length() < 300 && message.chars().allMatch(c -> c >= 0x20 && c < 0x7f), message);
        }
    }
}
