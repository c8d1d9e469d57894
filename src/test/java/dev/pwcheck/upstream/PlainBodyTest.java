package dev.pwcheck.upstream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A plain answer read straight from a stream into its array: every byte kept, the cap held, no copy when sized right. */
@Timeout(10) // a readFrom that stopped making progress would otherwise hang the build, not fail it
class PlainBodyTest {

    private static final byte[] RANGE = "0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n00D4F6E8FA6EECAD2A3AA415EEC418D38EC:2"
            .repeat(100).getBytes(StandardCharsets.US_ASCII);

    /** A stream that hands out at most {@code step} bytes a read, as a socket does. */
    private static InputStream trickling(byte[] bytes, int step) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }

    private static AnswerBody.PlainBody readAll(InputStream in, int cap, int declared, byte[] reuse) throws IOException {
        AnswerBody.PlainBody body = (AnswerBody.PlainBody) AnswerBody.forEncoding(null, cap, declared, reuse);
        long total = 0;
        for (int n; (n = body.readFrom(in, new byte[64])) >= 0; ) {
            total += n;
        }
        assertEquals(body.length(), total, "what readFrom said it read");
        return body;
    }

    @Test
    void readsEveryByteWhateverTheStepAndTheStartingSize() throws IOException {
        for (int step : new int[] {1, 7, 4096, RANGE.length}) {
            for (int declared : new int[] {-1, 1, RANGE.length}) {
                AnswerBody.PlainBody body = readAll(trickling(RANGE, step), 1 << 20, declared, null);
                assertArrayEquals(RANGE, Arrays.copyOf(body.bytes(), body.length()), "step " + step + ", declared " + declared);
            }
        }
    }

    @Test
    void anAnswerAsLongAsItDeclaredStaysInTheArrayItWasGiven() throws IOException {
        byte[] spare = new byte[RANGE.length];
        AnswerBody.PlainBody body = readAll(trickling(RANGE, 1000), 1 << 20, RANGE.length, spare);
        assertSame(spare, body.bytes());
        assertArrayEquals(RANGE, body.bytes());
    }

    @Test
    void exactlyTheCapIsTakenAndOneBytePastItIsRefused() throws IOException {
        assertEquals(RANGE.length, readAll(trickling(RANGE, 512), RANGE.length, -1, null).length());
        byte[] over = Arrays.copyOf(RANGE, RANGE.length + 1);
        for (int declared : new int[] {-1, RANGE.length}) {
            UpstreamException refused = assertThrows(UpstreamException.class,
                    () -> readAll(trickling(over, 512), RANGE.length, declared, null));
            assertEquals(FailureCause.TOO_LARGE, refused.failureCause());
        }
    }

    @Test
    void aSpareArrayLargerThanTheCapDoesNotLetMoreIn() throws IOException {
        byte[] over = Arrays.copyOf(RANGE, RANGE.length + 1);
        UpstreamException refused = assertThrows(UpstreamException.class,
                () -> readAll(trickling(over, 512), RANGE.length, -1, new byte[4 * RANGE.length]));
        assertEquals(FailureCause.TOO_LARGE, refused.failureCause());
    }

    @Test
    void aSpareArrayLongerThanTheAnswerIsKeptAndHoldsJustTheAnswer() throws IOException {
        // The sync hands each answer the last one's array; this answer is shorter and declares its length.
        byte[] spare = new byte[2 * RANGE.length];
        Arrays.fill(spare, (byte) 'x');
        AnswerBody.PlainBody body = readAll(trickling(RANGE, 4096), 1 << 20, RANGE.length, spare);
        assertSame(spare, body.bytes());
        assertEquals(RANGE.length, body.length());
        assertArrayEquals(RANGE, Arrays.copyOf(body.bytes(), body.length()));
    }
}
