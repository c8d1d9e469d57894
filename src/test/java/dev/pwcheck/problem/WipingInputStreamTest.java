package dev.pwcheck.problem;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The body stream a chunked check request is handed over in: every byte read as sent, then nothing left of it. */
class WipingInputStreamTest {

    private static byte[] body() {
        return "{\"password\":\"correct horse battery staple\"}".getBytes(StandardCharsets.UTF_8);
    }

    private static void assertZeroed(byte[] bytes) {
        assertArrayEquals(new byte[bytes.length], bytes, "the body's array still holds the password");
    }

    @Test
    void readsTheBodyAsSentThenZeroesItAtItsEnd() throws IOException {
        byte[] bytes = body();
        byte[] expected = bytes.clone();
        WipingInputStream in = new WipingInputStream(bytes);
        byte[] read = new byte[expected.length];
        int n = 0;
        for (int r; n < read.length && (r = in.read(read, n, Math.min(7, read.length - n))) > 0; ) {
            n += r;
        }
        assertArrayEquals(expected, read);
        assertEquals(0, in.available());
        assertEquals(-1, in.read(new byte[8], 0, 8));
        assertZeroed(bytes);
    }

    @Test
    void byteByByteToo() {
        byte[] bytes = body();
        byte[] expected = bytes.clone();
        WipingInputStream in = new WipingInputStream(bytes);
        for (byte b : expected) {
            assertEquals(b & 0xFF, in.read());
        }
        assertEquals(-1, in.read());
        assertZeroed(bytes);
    }

    @Test
    void aBodyLeftHalfReadIsZeroedOnCloseAndReadsAsEnded() {
        byte[] bytes = body();
        WipingInputStream in = new WipingInputStream(bytes);
        in.read(new byte[5], 0, 5);
        in.close();
        assertZeroed(bytes);
        assertEquals(-1, in.read());
    }

    @Test
    void aBodyNoOneReadIsZeroedWhenTheExchangeEnds() {
        byte[] bytes = body();
        new WipingInputStream(bytes).wipe();
        assertZeroed(bytes);
    }
}
