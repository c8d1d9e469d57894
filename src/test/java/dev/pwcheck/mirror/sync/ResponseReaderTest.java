package dev.pwcheck.mirror.sync;

import dev.pwcheck.upstream.UpstreamException;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sync's HTTP/1.1 answer reader on answers as servers frame them (RFC 9112): nginx's own heads and chunked gzip,
 * interim answers, answers that end with the connection, and the malformed ones an untrusted upstream could send.
 */
class ResponseReaderTest {

    private static final String RANGE = "0018A45C4D1DEF81644B54AB7F969B88D65:3\r\n00D4F6E8FA6EECAD2A3AA415EEC418D38EC:2";
    private static final int CAP = 1 << 20;

    private static Buffer bytes(String text) {
        return Buffer.buffer(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Feeds a whole answer, as one read off the socket would hand it over. */
    private static int feed(ResponseReader reader, Buffer answer) {
        return reader.feed(answer.getBytes(), 0, answer.length());
    }

    private static String body(ResponseReader reader) {
        return new String(reader.body().bytes(), 0, reader.body().length(), StandardCharsets.US_ASCII);
    }

    @Test
    void aLengthFramedAnswerIsReadWithItsETagAndKeepsTheConnection() {
        ResponseReader reader = new ResponseReader(CAP);
        String answer = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Type: text/plain\r\nContent-Length: " + RANGE.length()
                + "\r\nETag: \"65f2a1b3-26b8a\"\r\nAccept-Ranges: bytes\r\n\r\n" + RANGE;

        assertEquals(answer.length(), feed(reader, bytes(answer)));

        assertTrue(reader.done());
        assertEquals(200, reader.status());
        assertEquals("\"65f2a1b3-26b8a\"", reader.etag());
        assertTrue(reader.keepAlive());
        assertEquals(RANGE, body(reader));
        assertEquals(RANGE.length(), reader.bodyBytes());
    }

    @Test
    void anAnswerSplitAtAnyByteReadsTheSame() {
        String answer = "HTTP/1.1 200 OK\r\nContent-Length: " + RANGE.length() + "\r\nETag: \"a\"\r\n\r\n" + RANGE;
        for (int split = 1; split < answer.length(); split++) {
            ResponseReader reader = new ResponseReader(CAP);
            feed(reader, bytes(answer.substring(0, split)));
            assertFalse(reader.done(), "split at " + split);
            feed(reader, bytes(answer.substring(split)));
            assertTrue(reader.done(), "split at " + split);
            assertEquals(RANGE, body(reader), "split at " + split);
        }
    }

    @Test
    void aChunkedGzipAnswerAsNginxSendsItIsJoinedAndInflated() throws Exception {
        // nginx's gzip filter streams: Transfer-Encoding chunked, hex sizes, a zero chunk, no trailers.
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(RANGE.getBytes(StandardCharsets.US_ASCII));
        }
        byte[] compressed = gz.toByteArray();
        int half = compressed.length / 2;
        Buffer answer = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\nContent-Encoding: gzip\r\n\r\n")
                .appendString(Integer.toHexString(half) + ";name=value\r\n").appendBytes(compressed, 0, half)
                .appendString("\r\n" + Integer.toHexString(compressed.length - half) + "\r\n").appendBytes(compressed, half, compressed.length - half)
                .appendString("\r\n0\r\nX-Trailer: ignored\r\n\r\n");
        ResponseReader reader = new ResponseReader(CAP);

        assertEquals(answer.length(), feed(reader, answer));

        assertTrue(reader.done());
        assertEquals(RANGE, body(reader));
        assertEquals(compressed.length, reader.bodyBytes(), "bytes as sent, without the chunk framing");
        assertTrue(reader.keepAlive());
    }

    @Test
    void anInterimAnswerIsSkippedForTheOneThatFollows() {
        ResponseReader reader = new ResponseReader(CAP);
        feed(reader, bytes("HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"));

        assertTrue(reader.done());
        assertEquals(200, reader.status());
        assertEquals("abc", body(reader));
    }

    @Test
    void notModifiedHasNoBodyAndKeepsTheConnection() {
        ResponseReader reader = new ResponseReader(CAP);
        String answer = "HTTP/1.1 304 Not Modified\r\nETag: \"b\"\r\n\r\n";

        assertEquals(answer.length(), feed(reader, bytes(answer + "HTTP/1.1 200")), "the next answer's bytes are left where they are");

        assertTrue(reader.done());
        assertEquals(304, reader.status());
        assertNull(reader.body());
        assertTrue(reader.keepAlive());
    }

    @Test
    void connectionCloseOrHttp10EndsReuse() {
        ResponseReader close = new ResponseReader(CAP);
        feed(close, bytes("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx"));
        ResponseReader old = new ResponseReader(CAP);
        feed(old, bytes("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx"));
        ResponseReader oldKept = new ResponseReader(CAP);
        feed(oldKept, bytes("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx"));

        assertFalse(close.keepAlive());
        assertFalse(old.keepAlive());
        assertTrue(oldKept.keepAlive());
    }

    @Test
    void connectionTokensAndTransferCodingsAreReadAsListsInAnyCase() {
        ResponseReader listed = new ResponseReader(CAP);
        feed(listed, bytes("HTTP/1.1 200 OK\r\nConnection: \tTE ,  CLOSE \r\nContent-Length: 1\r\n\r\nx"));
        ResponseReader kept = new ResponseReader(CAP);
        feed(kept, bytes("HTTP/1.0 200 OK\r\nconnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nx"));
        // Only a whole token counts: "closed" is not "close".
        ResponseReader notClose = new ResponseReader(CAP);
        feed(notClose, bytes("HTTP/1.1 200 OK\r\nConnection: closed\r\nContent-Length: 1\r\n\r\nx"));
        ResponseReader codings = new ResponseReader(CAP);
        int end = feed(codings, bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: identity, Chunked \r\n\r\n1\r\nx\r\n0\r\n\r\n"));
        // A last coding that is not chunked leaves only the end of the connection to end the body.
        ResponseReader notChunked = new ResponseReader(CAP);
        feed(notChunked, bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunkedx\r\n\r\n1\r\nx"));

        assertFalse(listed.keepAlive());
        assertTrue(kept.keepAlive());
        assertTrue(notClose.keepAlive());
        assertTrue(codings.done());
        assertEquals("x", body(codings));
        assertFalse(notChunked.done());
        assertFalse(notChunked.keepAlive());
        assertTrue(end > 0);
    }

    @Test
    void aBodyWithoutLengthEndsWithTheConnection() {
        ResponseReader reader = new ResponseReader(CAP);
        feed(reader, bytes("HTTP/1.1 200 OK\r\n\r\n" + RANGE));
        assertFalse(reader.done());

        reader.closed();

        assertTrue(reader.done());
        assertEquals(RANGE, body(reader));
        assertFalse(reader.keepAlive());
    }

    @Test
    void aConnectionClosedBeforeTheDeclaredLengthIsAnError() {
        ResponseReader reader = new ResponseReader(CAP);
        feed(reader, bytes("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"));

        assertThrows(UpstreamException.class, reader::closed);
    }

    @Test
    void chunkedBesideAContentLengthIsReadByChunksAndTheConnectionDropped() {
        ResponseReader reader = new ResponseReader(CAP);
        feed(reader, bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"));

        assertTrue(reader.done());
        assertEquals("abc", body(reader));
        assertFalse(reader.keepAlive(), "a length beside chunked coding is how requests are smuggled");
    }

    @Test
    void malformedAnswersAreRefused() {
        String[] answers = {
                "HTTP/2 200 OK\r\n\r\n",
                "ICY 200 OK\r\n\r\n",
                "HTTP/1.1 2x0 OK\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc",
                "HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 3 4\r\n\r\n",
                "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX",
                "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 1\r\n\r\nx",
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Encoding: identity\r\nContent-Length: 1\r\n\r\nx",
                "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n",
                "HTTP/1.1 200OK\r\n\r\n",
                // Three digits, no status (found by fuzzing: 099 was taken as a status of 99).
                "HTTP/1.1 099 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 600 Hmm\r\nContent-Length: 0\r\n\r\n",
        };
        for (String answer : answers) {
            ResponseReader reader = new ResponseReader(CAP);
            assertThrows(UpstreamException.class, () -> feed(reader, bytes(answer)), answer);
        }
    }

    @Test
    void aHeadOverTheCapIsRefusedBeforeItEnds() {
        ResponseReader reader = new ResponseReader(CAP);
        Buffer head = bytes("HTTP/1.1 200 OK\r\nX-Filler: " + "a".repeat(ResponseReader.MAX_HEAD_BYTES) + "\r\n\r\n");

        UpstreamException refused = assertThrows(UpstreamException.class, () -> feed(reader, head));
        assertTrue(refused.getMessage().contains("headers are over"), refused.getMessage());
    }

    @Test
    void bodiesOverTheCapAreRefusedForEveryStatus() {
        ResponseReader declared = new ResponseReader(16);
        assertThrows(UpstreamException.class, () -> feed(declared, bytes("HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n")));

        ResponseReader chunked = new ResponseReader(16);
        assertThrows(UpstreamException.class,
                () -> feed(chunked, bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n11\r\n" + "a".repeat(17))));

        ResponseReader error = new ResponseReader(16);
        assertThrows(UpstreamException.class, () -> feed(error, bytes("HTTP/1.1 503 Busy\r\nContent-Length: 17\r\n\r\n" + "a".repeat(17))));
    }

    @Test
    void anotherStatusIsReadWithItsRetryAfterAndItsBodyDropped() {
        ResponseReader reader = new ResponseReader(CAP);
        feed(reader, bytes("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nContent-Length: 9\r\n\r\nslow down"));

        assertTrue(reader.done());
        assertEquals(429, reader.status());
        assertEquals("7", reader.retryAfter());
        assertNull(reader.body());
        assertEquals(9, reader.bodyBytes());
        assertTrue(reader.keepAlive());
    }

    @Test
    void aResetReaderReadsTheNextAnswerOnTheSameConnection() {
        ResponseReader reader = new ResponseReader(CAP);
        feed(reader, bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nETag: \"1\"\r\n\r\nx"));
        reader.reset();
        assertFalse(reader.started());

        feed(reader, bytes("HTTP/1.1 304 Not Modified\r\n\r\n"));

        assertTrue(reader.started());
        assertEquals(304, reader.status());
        assertNull(reader.etag(), "nothing of the answer before");
    }

    @Test
    void theNextPlainBodyIsReadIntoTheLastOnesArrayAndEndsAtItsOwnLength() {
        ResponseReader reader = new ResponseReader(CAP);
        feed(reader, bytes("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nabcdef"));
        byte[] first = reader.body().bytes();
        reader.reset();

        feed(reader, bytes("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nxyz"));

        assertSame(first, reader.body().bytes(), "no new array for an answer that fits the last one's");
        assertEquals("xyz", body(reader));
    }

    @Test
    void aPlainBodyLargerThanTheLastOneGetsAnArrayOfItsOwn() {
        ResponseReader reader = new ResponseReader(CAP);
        feed(reader, bytes("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"));
        byte[] first = reader.body().bytes();
        reader.reset();

        feed(reader, bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789"));

        assertNotSame(first, reader.body().bytes());
        assertEquals("0123456789", body(reader));
    }
}
