package dev.pwcheck.mirror.sync;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pwcheck.upstream.FailureCause;
import dev.pwcheck.upstream.UpstreamException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.protocol.HttpCoreContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An answer to one of the sync's requests, any bytes, arriving in pieces of any size as a socket hands them over (the
 * first byte sets the size), then the end of the connection: read by the same client classes the sync's connections
 * use (the HTTP/1.1 connection with the sync's line and header limits, the request executor) and then by the sync's
 * {@link AnswerReading}. It is read whole, with a status HTTP has and a body under the cap, or refused: a malformed or
 * too large answer, a protocol error, or the connection's end; nothing else escapes, and reading ends.
 */
class SyncAnswerFuzzTest {

    static final int CAP = 64 * 1024;

    @FuzzTest(maxDuration = "60s")
    void syncAnswer(byte[] data) throws IOException {
        int piece = data.length == 0 ? 1 : (data[0] & 0xff) + 1;
        DefaultBHttpClientConnection connection = InStepConnections.InStepConnection.create("fuzz");
        connection.bind(new InMemorySocket(data, Math.min(1, data.length), piece));
        try {
            ClassicHttpResponse response = new HttpRequestExecutor().execute(new HttpGet("/range/00000"), connection, HttpCoreContext.create());
            SyncHttp.Answer answer = new AnswerReading(CAP, () -> { }).read(response);
            assertTrue(answer.status() >= 200 && answer.status() <= 599, "status " + answer.status());
            assertTrue(answer.wireBytes() <= CAP && answer.length() <= CAP, "the body is under the cap");
        } catch (UpstreamException refused) {
            FailureCause cause = refused.failureCause();
            assertTrue(cause == FailureCause.MALFORMED || cause == FailureCause.TOO_LARGE, cause.name());
            String message = refused.getMessage();
            assertTrue(message.length() < 300 && message.chars().allMatch(c -> c >= 0x20 && c < 0x7f), message);
        } catch (HttpException | IOException refused) {
            // The client refused the framing, or the answer ended with the connection before it was whole.
        } catch (IllegalArgumentException refused) {
            // The client's parser on a status it cannot hold (000, found by fuzzing): SyncConnection takes any such
            // failure as a malformed answer (SyncAnswerTest sends one). Its message names the status, no more.
            assertTrue(refused.getMessage() != null && refused.getMessage().length() < 300, String.valueOf(refused.getMessage()));
        } finally {
            connection.close();
        }
    }

    /** A connected socket whose input is {@code data[from..]} in pieces of {@code piece} bytes, and whose output goes nowhere. */
    static final class InMemorySocket extends Socket {
        private final InputStream in;
        private final OutputStream out = new ByteArrayOutputStream();
        private boolean closed;

        InMemorySocket(byte[] data, int from, int piece) {
            this.in = new InputStream() {
                private int at = from;

                @Override
                public int read() {
                    return at < data.length ? data[at++] & 0xff : -1;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    if (length == 0) {
                        return 0;
                    }
                    if (at >= data.length) {
                        return -1;
                    }
                    int n = Math.min(Math.min(length, piece), data.length - at);
                    System.arraycopy(data, at, buffer, offset, n);
                    at += n;
                    return n;
                }
            };
        }

        @Override
        public InputStream getInputStream() {
            return in;
        }

        @Override
        public OutputStream getOutputStream() {
            return out;
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public boolean isBound() {
            return true;
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public synchronized void close() {
            closed = true;
        }

        @Override
        public synchronized int getSoTimeout() {
            return 0;
        }

        @Override
        public synchronized void setSoTimeout(int timeout) {
            // in memory: nothing waits
        }
    }
}
