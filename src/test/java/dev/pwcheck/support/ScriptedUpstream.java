package dev.pwcheck.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 upstream on raw sockets that misbehaves per connection, in ways no HTTP server library will on
 * purpose. Init arg {@code script}:
 * <ul>
 * <li>{@code silent-first}: the first connection is accepted and its request read, and then nothing is ever sent on
 * it; every later connection answers normally, with keep-alive.</li>
 * <li>{@code close-after-one}: every connection answers its first request with keep-alive (no "Connection: close"),
 * then closes without a byte when the next request arrives on it, as a server whose idle close raced the client.</li>
 * <li>{@code reset-idle}: every connection answers its first request with keep-alive, then, idle in the client's
 * pool, is reset (a TCP RST, as a killed or restarted upstream, or a load balancer dropping it, sends).</li>
 * </ul>
 * Every answer is one range body whatever the prefix: the suffix of the SHA-1 of "password" with count {@link #COUNT}.
 */
public class ScriptedUpstream implements QuarkusTestResourceLifecycleManager {

    public static final int COUNT = 3861493;
    /** Any prefix's range holds the suffix of the SHA-1 of "password", so every prefix + that suffix is breached. */
    private static final String BODY = Hashes.rangeBody("0018A45C4D1DEF81644B54AB7F969B88D65:1",
            Hashes.line(Hashes.suffix(Hashes.sha1("password")), COUNT));

    private String script = "silent-first";
    private LoopbackServer server;
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger resets = new AtomicInteger();

    @Override
    public void init(Map<String, String> initArgs) {
        script = initArgs.getOrDefault("script", script);
    }

    @Override
    public Map<String, String> start() {
        try {
            server = LoopbackServer.start("scripted-upstream", this::serve);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // The production first-byte timeout (the test profile lengthens it for tests that are not about it).
        return Map.of("pwcheck.upstream.url", "http://127.0.0.1:" + server.port(),
                "pwcheck.upstream.first-byte-timeout", "400ms");
    }

    private void serve(Socket socket, int number) throws IOException, InterruptedException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        for (int request = 1; readHead(in); request++) {
            if (script.equals("silent-first") && number == 1) {
                while (in.read() >= 0) {
                    // say nothing, ever; hold the connection until the client gives up on it
                }
                return;
            }
            if (script.equals("close-after-one") && request > 1) {
                return; // closed before a byte of the answer
            }
            byte[] body = BODY.getBytes(StandardCharsets.US_ASCII);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            answered.incrementAndGet();
            if (script.equals("reset-idle")) {
                Thread.sleep(200); // idle in the client's pool by now
                socket.setSoLinger(true, 0);
                resets.incrementAndGet();
                return;
            }
        }
    }

    /** Reads one request head; false when the client closed the connection instead. */
    private static boolean readHead(InputStream in) throws IOException {
        int lastFour = 0;
        while (lastFour != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            lastFour = (lastFour << 8) | b;
        }
        return true;
    }

    /** Connections accepted so far. */
    public int connections() {
        return server.connections();
    }

    /** Idle connections reset so far ({@code reset-idle}). */
    public int resets() {
        return resets.get();
    }

    /** Requests answered so far. */
    public int answered() {
        return answered.get();
    }

    @Override
    public void stop() {
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing left to free
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(InjectFakeUpstream.class, ScriptedUpstream.class));
    }
}
