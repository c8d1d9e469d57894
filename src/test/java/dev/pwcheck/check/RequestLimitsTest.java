package dev.pwcheck.check;

import dev.pwcheck.support.CapturedLogs;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.Http2Post;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests over the service's limits get its problem answers: bodies over 8 KiB, declared or chunked and however large
 * (before, anything over the HTTP layer's 64 KiB got a bare 413 and two ERRORs with stack traces per request),
 * headers over 16 KiB (431) and request lines over 4 KiB (414). None writes an ERROR line or a stack trace to the log,
 * and the service answers normally afterwards.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class RequestLimitsTest {

    static final String SECRET = "Tr0ub4dor&3-large-body";

    @TestHTTPResource("/")
    URL service;

    private CapturedLogs logs;

    @BeforeEach
    void capture() {
        logs = CapturedLogs.start();
    }

    @AfterEach
    void noErrorWasLogged() throws InterruptedException {
        Thread.sleep(200); // a late failure of a cut body would be logged by now
        logs.close();
        assertEquals(java.util.List.of(), logs.errors(), "an outside request logged an ERROR or a stack trace");
        assertFalse(logs.lines().stream().anyMatch(l -> l.contains(SECRET)), "the body reached the log");
    }

    /** Sends {@code head} and then {@code body} (as much as the server takes), and reads the answer until the server closes. */
    private String exchange(String head, byte[] body) throws Exception {
        try (Socket socket = new Socket(service.getHost(), service.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    out.write(head.getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                } catch (IOException e) {
                    // the server stopped reading and closed: expected for a body over the limit
                }
            });
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // a reset after the answer: what was read is the answer
            }
            sending.cancel(true);
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] json(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'a');
        byte[] start = ("{\"password\":\"" + SECRET + "\",\"x\":\"").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(start, 0, body, 0, start.length);
        return body;
    }

    private static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < body.length; at += 4096) {
            int n = Math.min(4096, body.length - at);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static void isTheProblem(String answer) {
        assertTrue(answer.startsWith("HTTP/1.1 413 "), answer.lines().findFirst().orElse(answer));
        assertTrue(answer.toLowerCase().contains("content-type: application/problem+json"), answer);
        assertTrue(answer.endsWith("{\"type\":\"about:blank\",\"title\":\"Request Entity Too Large\",\"status\":413,"
                + "\"detail\":\"the request body is over 8192 bytes\"}"), answer);
        assertFalse(answer.contains(SECRET));
    }

    @Test
    void chunkedBodiesOfAnySizeGetTheProblem() throws Exception {
        for (int size : new int[] { 20 * 1024, 100 * 1024, 200 * 1024, 2 * 1024 * 1024 }) {
            isTheProblem(exchange("POST /v1/passwords/check HTTP/1.1\r\nHost: pwcheck\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n", chunked(json(size))));
        }
    }

    @Test
    void aChunkedCheckUnderTheLimitIsAnsweredWithItsVerdict() throws Exception {
        // Read by the body handler here and handed to the endpoint as a stream that zeroes its copy once read.
        byte[] body = ("{\"password\":\"" + SECRET + "\",\"flow\":\"login\"}").getBytes(StandardCharsets.US_ASCII);
        String answer = exchange("POST /v1/passwords/check HTTP/1.1\r\nHost: pwcheck\r\nContent-Type: application/json\r\n"
                + "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n", chunked(body));
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer.lines().findFirst().orElse(answer));
        assertTrue(answer.contains("\"action\":\"allow\""), answer);
    }

    @Test
    void declaredBodiesOfAnySizeGetTheProblemBeforeTheyAreRead() throws Exception {
        for (int size : new int[] { 20 * 1024, 100 * 1024, 10 * 1024 * 1024 }) {
            isTheProblem(exchange("POST /v1/passwords/check HTTP/1.1\r\nHost: pwcheck\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + size + "\r\n\r\n", json(size)));
        }
    }

    /**
     * HTTP/2 has no chunked coding: a body without a Content-Length is framed only by the end of its stream. Over the
     * limit it gets the problem at any size, past the HTTP layer's own 64 KiB cap too (before, a bare 413 with a
     * Connection header HTTP/2 forbids, a reset stream, and two ERROR lines); under it, the check answers.
     */
    @Test
    void http2BodiesWithoutALengthGetTheProblemAtAnySize() throws Exception {
        for (int size : new int[] { 9 * 1024, 60 * 1024, 100 * 1024, 2 * 1024 * 1024 }) {
            for (boolean declared : new boolean[] { false, true }) {
                Http2Post.Answer answer = Http2Post.post(service.getHost(), service.getPort(), "/v1/passwords/check", json(size), declared);
                String which = size + " bytes " + (declared ? "declared" : "without a length") + ": " + answer;
                assertEquals(413, answer.status(), which);
                assertEquals("application/problem+json", answer.contentType(), which);
                assertEquals("{\"type\":\"about:blank\",\"title\":\"Request Entity Too Large\",\"status\":413,"
                        + "\"detail\":\"the request body is over 8192 bytes\"}", answer.body(), which);
            }
        }
        byte[] check = ("{\"password\":\"" + SECRET + "\",\"flow\":\"login\"}").getBytes(StandardCharsets.UTF_8);
        for (boolean declared : new boolean[] { false, true }) {
            Http2Post.Answer answer = Http2Post.post(service.getHost(), service.getPort(), "/v1/passwords/check", check, declared);
            assertEquals(200, answer.status(), answer.toString());
            assertTrue(answer.body().contains("\"action\":\"allow\""), answer.toString());
        }
        // A body of exactly the limit is a check (here a 400 for its made-up field, not a 413).
        byte[] atLimit = json(8 * 1024);
        assertEquals(8 * 1024, atLimit.length);
        Http2Post.Answer answer = Http2Post.post(service.getHost(), service.getPort(), "/v1/passwords/check", atLimit, false);
        assertTrue(answer.status() != 413 && answer.status() < 500, answer.toString());
    }

    @Test
    void aBodyThatStopsShortIsNotAnError() throws Exception {
        String head = "POST /v1/passwords/check HTTP/1.1\r\nHost: pwcheck\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
        try (Socket socket = new Socket(service.getHost(), service.getPort())) {
            socket.getOutputStream().write((head + "{\"password\":\"" + SECRET).getBytes(StandardCharsets.US_ASCII));
        }
        try (Socket socket = new Socket(service.getHost(), service.getPort())) {
            socket.getOutputStream().write(("POST /v1/passwords/check HTTP/1.1\r\nHost: pwcheck\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n40\r\n{\"password\":\"" + SECRET).getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void isProblem(String answer, int status, String detail) {
        assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), answer.lines().findFirst().orElse(answer));
        assertTrue(answer.toLowerCase().contains("content-type: application/problem+json"), answer);
        assertTrue(answer.endsWith("\"status\":" + status + ",\"detail\":\"" + detail + "\"}"), answer);
        assertFalse(answer.contains(SECRET));
    }

    @Test
    void headersOver16KiBGetTheProblem() throws Exception {
        for (int size : new int[] { 20 * 1024, 40 * 1024 }) {
            String answer = exchange("POST /v1/passwords/check HTTP/1.1\r\nHost: pwcheck\r\nContent-Type: application/json\r\n"
                    + "X-Padding: " + SECRET + "a".repeat(size) + "\r\nContent-Length: 2\r\n\r\n", "{}".getBytes(StandardCharsets.US_ASCII));
            isProblem(answer, 431, "the request headers are over 16384 bytes");
        }
        String many = "X-Many: " + "b".repeat(1000) + "\r\n";
        isProblem(exchange("GET /range/5BAA6 HTTP/1.1\r\nHost: pwcheck\r\n" + many.repeat(20) + "\r\n", new byte[0]),
                431, "the request headers are over 16384 bytes");
    }

    @Test
    void requestLinesOver4KiBGetTheProblem() throws Exception {
        for (String path : new String[] { "/v1/passwords/check?" + "q".repeat(5000), "/range/5BAA6?mode=" + "n".repeat(10_000) }) {
            isProblem(exchange("GET " + path + " HTTP/1.1\r\nHost: pwcheck\r\n\r\n", new byte[0]), 414, "the request line is over 4096 bytes");
        }
    }

    @Test
    void pastTheHttpLayersOwnCapsTheAnswerIsBareButNothingIsLogged() throws Exception {
        String answer = exchange("GET /range/5BAA6 HTTP/1.1\r\nHost: pwcheck\r\nX-Padding: " + "c".repeat(70 * 1024) + "\r\n\r\n", new byte[0]);
        assertTrue(answer.startsWith("HTTP/1.") && answer.contains(" 431 "), answer.lines().findFirst().orElse(answer));
    }

    @Test
    void afterwardsTheServiceAnswersExactly() throws Exception {
        chunkedBodiesOfAnySizeGetTheProblem();
        headersOver16KiBGetTheProblem();
        given().contentType("application/json").body("{\"password\":\"" + SECRET + "\",\"flow\":\"login\"}")
                .when().post("/v1/passwords/check")
                .then().statusCode(200).body("action", equalTo("allow"));
    }
}
