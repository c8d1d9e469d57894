package dev.pwcheck.upstream;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gzip-encoded upstream answer: any bytes, cut into chunks as a network would, either decode within the cap or are
 * refused as {@code malformed} or {@code too_large}, nothing else, and an answer taken is within the cap (a refused one
 * held at most the one byte past it that proved it too large); and any payload
 * gzipped by the JDK decodes to itself, or is refused as too large exactly when it is over the cap.
 */
class GzipBodyFuzzTest {

    static final int CAP = 32 * 1024;

    @FuzzTest(maxDuration = "60s")
    void gzipAnswer(byte[] wire) {
        GzipBody body = new GzipBody(CAP);
        try {
            feed(body, wire);
            body.finish();
        } catch (UpstreamException refused) {
            assertTrue(refused.failureCause() == FailureCause.MALFORMED || refused.failureCause() == FailureCause.TOO_LARGE,
                    refused.failureCause().toString());
            return;
        } finally {
            // One byte past the cap is what proves an answer too large; no more is ever inflated.
            assertTrue(body.length() <= CAP + 1, "decoded " + body.length() + " bytes under a cap of " + CAP);
        }
        assertTrue(body.length() <= CAP, "an answer taken is within the cap");
    }

    @FuzzTest(maxDuration = "60s")
    void gzipRoundTrip(byte[] payload) throws IOException {
        byte[] wire = gzip(payload);
        GzipBody body = new GzipBody(CAP);
        try {
            feed(body, wire);
            body.finish();
        } catch (UpstreamException refused) {
            assertTrue(refused.failureCause() == FailureCause.TOO_LARGE && payload.length > CAP, "refused only as too large: " + refused.getMessage());
            return;
        }
        assertArrayEquals(payload, Arrays.copyOf(body.bytes(), body.length()));
    }

    /** In chunks of 1 to 997 bytes, sized by the bytes themselves: the same input is always cut the same way. */
    static void feed(GzipBody body, byte[] wire) {
        int at = 0;
        while (at < wire.length) {
            int n = Math.min(wire.length - at, 1 + Math.floorMod(wire[at] * 31 + at, 997));
            body.append(wire, at, n);
            at += n;
        }
    }

    static byte[] gzip(byte[] payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(payload);
        }
        return out.toByteArray();
    }
}
