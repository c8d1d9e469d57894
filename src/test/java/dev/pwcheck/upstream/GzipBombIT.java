package dev.pwcheck.upstream;

import dev.pwcheck.support.Hashes;
import dev.pwcheck.support.PackagedService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service in a 256 MiB heap, against an upstream that answers one range with a gzip bomb: 1 GiB of
 * decoded text in about a megabyte on the wire, declared with its small Content-Length. The check answers unknown,
 * the failure counts as too large, and the service goes on answering (the next check from a healthy range).
 */
class GzipBombIT {

    private static final String BOMBED = "a password whose range is a bomb";
    private static final String HEALTHY = "password";

    private PackagedService service;
    private ServerSocket upstream;

    @AfterEach
    void stop() throws IOException {
        if (service != null) {
            service.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void aGigabyteGzipBombIsRefusedAsTooLargeAndTheServiceLivesOnIn256MiB() throws Exception {
        byte[] bomb = gzippedZeros(1L << 30);
        String bombedPrefix = Hashes.prefix(Hashes.sha1(BOMBED));
        String healthy = Hashes.sha1(HEALTHY);
        byte[] healthyBody = Hashes.line(Hashes.suffix(healthy), 42).getBytes(StandardCharsets.US_ASCII);
        upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread serving = new Thread(() -> serve(bomb, bombedPrefix, healthyBody), "bomb-upstream");
        serving.setDaemon(true);
        serving.start();

        // About a bomb, not timings: budgets a busy machine cannot run out of before the cap is reached.
        service = PackagedService.start(Map.of(
                "QUARKUS_REST_CLIENT_HIBP_URL", "http://127.0.0.1:" + upstream.getLocalPort(),
                "QUARKUS_REST_CLIENT_HIBP_READ_TIMEOUT", "20000",
                "PWCHECK_UPSTREAM_FIRST_BYTE_TIMEOUT", "20s",
                "PWCHECK_UPSTREAM_TIMEOUT", "25s",
                "PWCHECK_DEADLINE", "30s"), "-Xmx256m");

        HttpResponse<String> bombed = service.check(BOMBED);
        assertEquals(200, bombed.statusCode(), service::log);
        assertTrue(bombed.body().contains("\"verdict\":\"unknown\""), bombed.body());
        String metrics = service.metrics();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("pwcheck_upstream_failures_total{cause=\"too_large\"") && !l.endsWith(" 0.0")),
                () -> metrics.lines().filter(l -> l.startsWith("pwcheck_upstream_failures_total")).toList().toString());

        assertTrue(service.process().isAlive(), service::log);
        assertEquals("{\"verdict\":\"breached\",\"count\":42}", service.check(HEALTHY).body(), service::log);
        assertEquals(200, service.status(service.management() + "/q/health/live"));
        assertTrue(!service.log().contains("OutOfMemoryError"), service::log);
    }

    /** {@code size} zero bytes, gzipped (1 GiB of zeros is about a megabyte). */
    private static byte[] gzippedZeros(long size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16)) {
            byte[] zeros = new byte[1 << 20];
            for (long written = 0; written < size; written += zeros.length) {
                gzip.write(zeros);
            }
        }
        return out.toByteArray();
    }

    private void serve(byte[] bomb, String bombedPrefix, byte[] healthyBody) {
        while (!upstream.isClosed()) {
            try (Socket socket = upstream.accept()) {
                String head = readHead(socket.getInputStream());
                boolean isBomb = head.contains("/range/" + bombedPrefix);
                byte[] body = isBomb ? bomb : healthyBody;
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" + (isBomb ? "Content-Encoding: gzip\r\n" : "")
                        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (IOException hungUp) {
                // the service stops reading at its cap and closes the connection
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int lastFour = 0;
        while (lastFour != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
            lastFour = (lastFour << 8) | b;
        }
        return head.toString();
    }
}
