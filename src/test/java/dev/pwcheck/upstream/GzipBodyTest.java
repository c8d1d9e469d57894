package dev.pwcheck.upstream;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gzip decoder of upstream answers: exact output, the cap on decoded bytes, and refusal of anything broken. */
class GzipBodyTest {

    private static final String RANGE = "0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n00D4F6E8FA6EECAD2A3AA415EEC418D38EC:2".repeat(500);

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        }
        return out.toByteArray();
    }

    /** Feeds {@code compressed} in chunks of {@code chunk} bytes, as the network would deliver it. */
    private static GzipBody decode(byte[] compressed, int chunk, int cap) {
        GzipBody body = new GzipBody(cap);
        for (int at = 0; at < compressed.length; at += chunk) {
            body.append(compressed, at, Math.min(chunk, compressed.length - at));
        }
        body.finish();
        return body;
    }

    @Test
    void decodesAnAnswerWhateverTheChunking() throws IOException {
        byte[] plain = RANGE.getBytes(StandardCharsets.US_ASCII);
        byte[] compressed = gzip(plain);
        for (int chunk : new int[] {1, 3, 10, 11, 512, compressed.length}) {
            GzipBody body = decode(compressed, chunk, 1 << 20);
            assertEquals(plain.length, body.length());
            assertTrue(Arrays.equals(plain, 0, plain.length, body.bytes(), 0, body.length()), "chunks of " + chunk);
        }
    }

    @Test
    void anAnswerDecodingToExactlyTheCapIsTaken() throws IOException {
        byte[] plain = RANGE.getBytes(StandardCharsets.US_ASCII);
        assertEquals(plain.length, decode(gzip(plain), 4096, plain.length).length());
    }

    @Test
    void aBombFailsAsTooLargeOneBytePastTheCapWithoutInflatingFurther() throws IOException {
        // 64 MiB of zeros compress to about 64 KiB; the decoder must stop at the 2 MiB cap.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gzip.write(zeros);
            }
        }
        byte[] bomb = out.toByteArray();
        int cap = 2 * 1024 * 1024;
        GzipBody body = new GzipBody(cap);
        UpstreamException failure = assertThrows(UpstreamException.class, () -> {
            for (int at = 0; at < bomb.length; at += 8192) {
                body.append(bomb, at, Math.min(8192, bomb.length - at));
            }
        });
        assertEquals(FailureCause.TOO_LARGE, failure.failureCause());
        assertEquals(cap + 1, body.length(), "inflated one byte past the cap, no further");
        assertTrue(body.bytes().length <= cap + 1, "never held more than the cap and one byte");
    }

    @Test
    void corruptDataIsMalformed() throws IOException {
        byte[] compressed = gzip(RANGE.getBytes(StandardCharsets.US_ASCII));
        for (int i = 12; i < compressed.length - 8; i++) {
            compressed[i] ^= 0x5a;
        }
        assertEquals(FailureCause.MALFORMED, assertThrows(UpstreamException.class, () -> decode(compressed, 512, 1 << 20)).failureCause());
    }

    @Test
    void aChecksumThatDoesNotMatchIsMalformed() throws IOException {
        byte[] compressed = gzip(RANGE.getBytes(StandardCharsets.US_ASCII));
        compressed[compressed.length - 8] ^= 1; // the CRC-32 in the trailer
        assertEquals(FailureCause.MALFORMED, assertThrows(UpstreamException.class, () -> decode(compressed, 512, 1 << 20)).failureCause());
    }

    @Test
    void anAnswerCutShortIsMalformed() throws IOException {
        byte[] compressed = gzip(RANGE.getBytes(StandardCharsets.US_ASCII));
        byte[] cut = Arrays.copyOf(compressed, compressed.length - 20);
        assertEquals(FailureCause.MALFORMED, assertThrows(UpstreamException.class, () -> decode(cut, 512, 1 << 20)).failureCause());
    }

    @Test
    void textThatIsNotGzipIsMalformed() {
        byte[] text = RANGE.getBytes(StandardCharsets.US_ASCII);
        assertEquals(FailureCause.MALFORMED, assertThrows(UpstreamException.class, () -> decode(text, 512, 1 << 20)).failureCause());
    }

    @Test
    void anEncodingThatWasNotAskedForIsRefused() {
        assertEquals(FailureCause.MALFORMED,
                assertThrows(UpstreamException.class, () -> AnswerBody.forEncoding("br", 1024, -1)).failureCause());
        assertTrue(AnswerBody.forEncoding("GZIP", 1024, -1) instanceof GzipBody);
        assertTrue(AnswerBody.forEncoding(null, 1024, -1) instanceof AnswerBody.PlainBody);
    }
}
