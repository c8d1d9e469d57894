package dev.pwcheck.mirror.sync;

import dev.pwcheck.support.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sync's HTTP (Apache HttpClient under {@link SyncHttp}, read by {@link AnswerReading}) on answers as servers frame
 * them, sent byte for byte by a raw socket: nginx's own heads, chunked gzip, interim answers, answers that end with the
 * connection, which answers keep a connection for the next request and which end it, and the malformed, ambiguous and
 * oversized answers an untrusted upstream could send, each refused.
 */
class SyncAnswerTest {

    private static final String RANGE = "0018A45C4D1DEF81644B54AB7F969B88D65:3\r\n00D4F6E8FA6EECAD2A3AA415EEC418D38EC:2";
    private static final int CAP = 1 << 20;

    private CannedUpstream upstream;
    private SyncHttp http;

    @AfterEach
    void stop() throws IOException {
        if (http != null) {
            http.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /** Starts an upstream that sends these answers, in order, one a request, and a client to it with this cap. */
    private SyncConnection serving(int cap, byte[]... answers) throws IOException {
        upstream = new CannedUpstream(answers);
        http = new SyncHttp(URI.create("http://127.0.0.1:" + upstream.port()), Duration.ofSeconds(1), cap, "pwcheck-test", 1);
        return http.connection();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String body(SyncHttp.Answer answer) {
        return new String(answer.body(), 0, answer.length(), StandardCharsets.US_ASCII);
    }

    @Test
    void aLengthFramedAnswerIsReadWithItsETagAndKeepsTheConnection() throws Exception {
        String answer = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Type: text/plain\r\nContent-Length: " + RANGE.length()
                + "\r\nETag: \"65f2a1b3-26b8a\"\r\nAccept-Ranges: bytes\r\n\r\n" + RANGE;
        SyncConnection connection = serving(CAP, bytes(answer), bytes(answer));

        SyncHttp.Answer first = connection.get("/range/00000", null);
        assertEquals(200, first.status());
        assertEquals("\"65f2a1b3-26b8a\"", first.etag());
        assertEquals(RANGE, body(first));
        assertEquals(RANGE.length(), first.wireBytes());
        assertEquals(RANGE, body(connection.get("/range/00001", "\"65f2a1b3-26b8a\"")));

        assertEquals(1, upstream.connections(), "kept alive");
        assertTrue(upstream.requests().get(0).startsWith("GET /range/00000 HTTP/1.1\r\n"), upstream.requests().get(0));
        String second = upstream.requests().get(1).toLowerCase();
        assertTrue(second.contains("if-none-match: \"65f2a1b3-26b8a\"") && second.contains("accept-encoding: gzip")
                && second.contains("add-padding: true"), second);
    }

    @Test
    void aChunkedGzipAnswerAsNginxSendsItIsJoinedAndInflated() throws Exception {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(bytes(RANGE));
        }
        byte[] zipped = gzipped.toByteArray();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        answer.writeBytes(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\nContent-Encoding: gzip\r\n\r\n"));
        answer.writeBytes(bytes(Integer.toHexString(10) + "\r\n"));
        answer.write(zipped, 0, 10);
        answer.writeBytes(bytes("\r\n" + Integer.toHexString(zipped.length - 10) + ";ext=1\r\n"));
        answer.write(zipped, 10, zipped.length - 10);
        answer.writeBytes(bytes("\r\n0\r\nX-Trailer: t\r\n\r\n"));
        SyncConnection connection = serving(CAP, answer.toByteArray());

        SyncHttp.Answer read = connection.get("/range/00000", null);
        assertEquals(RANGE, body(read));
        assertEquals(zipped.length, read.wireBytes(), "the bytes as sent, compressed");
    }

    @Test
    void anInterimAnswerIsSkippedForTheOneThatFollows() throws Exception {
        SyncConnection connection = serving(CAP, bytes("HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"));
        assertEquals("abc", body(connection.get("/range/00000", null)));
    }

    @Test
    void notModifiedAndOtherStatusesHaveTheirHeadersReadAndKeepTheConnection() throws Exception {
        SyncConnection connection = serving(CAP, bytes("HTTP/1.1 304 Not Modified\r\nETag: \"b\"\r\n\r\n"),
                bytes("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nContent-Length: 9\r\n\r\nslow down"),
                bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"));

        SyncHttp.Answer notModified = connection.get("/range/00000", "\"b\"");
        assertEquals(304, notModified.status());
        assertEquals("\"b\"", notModified.etag());
        assertNull(notModified.body());
        SyncHttp.Answer slow = connection.get("/range/00000", null);
        assertEquals(429, slow.status());
        assertEquals("7", slow.retryAfter());
        assertNull(slow.body(), "the body of an answer the sync does not use is dropped");
        assertEquals("x", body(connection.get("/range/00000", null)));
        assertEquals(1, upstream.connections());
    }

    @Test
    void connectionCloseOrHttp10EndReuse() throws Exception {
        SyncConnection connection = serving(CAP, bytes("HTTP/1.1 200 OK\r\nConnection: \tTE ,  CLOSE \r\nContent-Length: 1\r\n\r\nx"),
                bytes("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\ny"), bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz"));
        assertEquals("x", body(connection.get("/range/00000", null)));
        assertEquals("y", body(connection.get("/range/00001", null)));
        assertEquals("z", body(connection.get("/range/00002", null)));
        assertEquals(3, upstream.connections(), "a fresh connection after each of the first two answers");
    }

    @Test
    void aBodyWithoutLengthEndsWithTheConnection() throws Exception {
        SyncConnection connection = serving(CAP, bytes("HTTP/1.1 200 OK\r\n\r\n" + RANGE), bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"));
        upstream.closeAfterEachAnswer();
        assertEquals(RANGE, body(connection.get("/range/00000", null)));
        assertEquals("x", body(connection.get("/range/00001", null)));
        assertEquals(2, upstream.connections());
    }

    @Test
    void aLengthBesideChunkedIsReadByTheChunksAndTheConnectionDropped() throws Exception {
        SyncConnection connection = serving(CAP, bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
                bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"));
        assertEquals("abc", body(connection.get("/range/00000", null)));
        assertEquals("x", body(connection.get("/range/00001", null)));
        assertEquals(2, upstream.connections(), "a length beside chunked coding is how answers are smuggled: not used again");
    }

    @Test
    void malformedOrAmbiguousAnswersAreRefusedAsInvalidWithoutASecondTry() throws Exception {
        String[] answers = {
                "HTTP/2 200 OK\r\n\r\n",
                "ICY 200 OK\r\n\r\n",
                "HTTP/1.1 2x0 OK\r\n\r\n",
                "HTTP/1.1 200OK\r\n\r\n",
                "HTTP/1.1 099 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                // Found by fuzzing: the client's parser throws IllegalArgumentException on it, not a protocol error.
                "HTTP/1.1 000 Zero\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 600 Hmm\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc",
                "HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 3 4\r\n\r\nabc",
                "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n",
                "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunkedx\r\n\r\n1\r\nx",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 1\r\n\r\nx",
                "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Encoding: identity\r\nContent-Length: 1\r\n\r\nx",
        };
        for (String answer : answers) {
            SyncConnection connection = serving(CAP, bytes(answer));
            upstream.closeAfterEachAnswer();
            SyncHttp.Failure refused = assertThrows(SyncHttp.Failure.class, () -> connection.get("/range/00000", null), answer);
            assertTrue(refused.invalidAnswer(), answer + ": " + refused.getMessage());
            assertEquals(1, upstream.connections(), answer + ": refused, not sent again");
            stop();
        }
        // Answers that never end as they should: a body cut short by the close, a switch to another protocol.
        for (String answer : new String[] { "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc",
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n" }) {
            SyncConnection connection = serving(CAP, bytes(answer));
            upstream.closeAfterEachAnswer();
            assertThrows(SyncHttp.Failure.class, () -> connection.get("/range/00000", null), answer);
            stop();
        }
    }

    @Test
    void bytesNoRequestAskedForTakeTheConnectionOutOfUse() throws Exception {
        // One answer too many on the connection: the client would read it as the next request's answer.
        SyncConnection connection = serving(CAP, bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"
                + "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled"), bytes("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nyes"));
        assertEquals("x", body(connection.get("/range/00000", null)));
        assertEquals("yes", body(connection.get("/range/00001", null)), "the second range's own answer, on a fresh connection");
        assertEquals(2, upstream.connections());
    }

    @Test
    void theNextBodyIsReadIntoTheLastOnesArray() throws Exception {
        SyncConnection connection = serving(CAP, bytes("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"),
                bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nde"));
        byte[] first = connection.get("/range/00000", null).body();
        SyncHttp.Answer second = connection.get("/range/00001", null);
        assertSame(first, second.body(), "one body array a worker, not one an answer");
        assertEquals("de", body(second));
    }

    @Test
    void headsOverTheLimitsAreRefused() throws Exception {
        SyncConnection longLine = serving(CAP, bytes("HTTP/1.1 200 OK\r\nX-Filler: " + "a".repeat(InStepConnections.MAX_LINE) + "\r\nContent-Length: 1\r\n\r\nx"));
        assertThrows(SyncHttp.Failure.class, () -> longLine.get("/range/00000", null));
        stop();
        SyncConnection manyHeaders = serving(CAP, bytes("HTTP/1.1 200 OK\r\n" + "X-A: 1\r\n".repeat(InStepConnections.MAX_HEADERS + 1) + "Content-Length: 1\r\n\r\nx"));
        assertThrows(SyncHttp.Failure.class, () -> manyHeaders.get("/range/00000", null));
    }

    @Test
    void bodiesOverTheCapAreRefusedForEveryStatus() throws Exception {
        String[] answers = {
                "HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n" + "a".repeat(17),
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n11\r\n" + "a".repeat(17) + "\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\n\r\n" + "a".repeat(17),
                "HTTP/1.1 503 Busy\r\nContent-Length: 17\r\n\r\n" + "a".repeat(17),
        };
        for (String answer : answers) {
            SyncConnection connection = serving(16, bytes(answer));
            upstream.closeAfterEachAnswer();
            SyncHttp.Failure refused = assertThrows(SyncHttp.Failure.class, () -> connection.get("/range/00000", null), answer);
            assertTrue(refused.invalidAnswer() && refused.getMessage().contains("over 16 bytes"), refused.getMessage());
            stop();
        }
    }

    /** Reads each request's head and sends the next canned answer; closes a connection when the answers run out. */
    static final class CannedUpstream implements AutoCloseable {
        private final BlockingQueue<byte[]> answers = new LinkedBlockingQueue<>();
        private final List<String> requests = new CopyOnWriteArrayList<>();
        private final LoopbackServer server;
        private volatile boolean closeAfterEach;

        CannedUpstream(byte[]... answers) throws IOException {
            this.answers.addAll(List.of(answers));
            this.server = LoopbackServer.start("canned-upstream", (socket, number) -> serve(socket));
        }

        void closeAfterEachAnswer() {
            closeAfterEach = true;
        }

        int port() {
            return server.port();
        }

        int connections() {
            return server.connections();
        }

        List<String> requests() {
            return requests;
        }

        private void serve(Socket socket) throws IOException {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            for (String request; (request = readRequest(in)) != null; ) {
                requests.add(request);
                byte[] answer = answers.poll();
                if (answer == null) {
                    return;
                }
                out.write(answer);
                out.flush();
                if (closeAfterEach) {
                    return;
                }
            }
        }

        /** One request's head; null at the end of the stream. */
        private static String readRequest(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            for (int b; (b = in.read()) >= 0; ) {
                head.append((char) b);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    return head.toString();
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
