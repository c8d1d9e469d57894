package dev.pwcheck.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An upstream that answers 200 with a chunked body of valid-looking range lines that goes on up to 64 MiB,
 * counting what it managed to write before the client hung up: the proof that a client stops reading at its cap.
 */
public class EndlessUpstream implements QuarkusTestResourceLifecycleManager {

    public static final AtomicLong WRITTEN = new AtomicLong();
    private ServerSocket server;

    @Override
    public Map<String, String> start() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread acceptor = new Thread(this::serve, "endless-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
        return Map.of("pwcheck.upstream.url", "http://127.0.0.1:" + server.getLocalPort());
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.getInputStream().read(new byte[8192]);
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] line = "0000000000000000000000000000000000A:1\r\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
                byte[] header = (Integer.toHexString(line.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                while (WRITTEN.get() < 64L * 1024 * 1024) {
                    out.write(header);
                    out.write(line);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    WRITTEN.addAndGet(line.length);
                }
            } catch (IOException closedByClient) {
                // Expected: the client stops reading at its cap and closes the connection.
            }
        }
    }

    @Override
    public void stop() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
