package dev.pwcheck.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream whose first connection attempt is never answered, the way a SYN is lost when the accept queue is full
 * (or a packet is dropped on the way): the listening socket has a backlog of 1 and two connections of ours fill its
 * queue, so the kernel drops the service's first SYN. Once the kernel has counted that drop (TcpExt ListenOverflows in
 * {@code /proc/net/netstat}), the queue is drained and every later connection is served a fixed range, one request
 * per connection. The switch waits for the kernel's own count, not for a time, so a busy machine cannot change what
 * the service sees.
 */
public class SynDroppingUpstream implements QuarkusTestResourceLifecycleManager {

    /** The range of "password" (5BAA6...), as the upstream would answer it. */
    public static final String BODY = "1E4C9B93F3F0682250B6CF8331B7EE68FD8:3861493\r\n1E4C9B93F3F0682250B6CF8331B7EE68FD9:12";

    private ServerSocket server;
    private final List<Socket> plugs = new ArrayList<>();
    private final AtomicInteger served = new AtomicInteger();
    private volatile long dropsSeen = -1;
    private Thread acceptor;

    @Override
    public Map<String, String> start() {
        try {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            for (int i = 0; i < 2; i++) {
                plugs.add(new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long before = listenOverflows();
        acceptor = new Thread(() -> serve(before), "syn-dropping-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
        return Map.of("pwcheck.upstream.url", "http://127.0.0.1:" + server.getLocalPort());
    }

    private void serve(long before) {
        try {
            while (listenOverflows() == before) {
                TimeUnit.MILLISECONDS.sleep(2);
            }
            dropsSeen = listenOverflows() - before;
            for (int i = 0; i < plugs.size(); i++) {
                server.accept().close();
            }
            while (!server.isClosed()) {
                try (Socket connection = server.accept()) {
                    answer(connection);
                }
            }
        } catch (IOException | InterruptedException stopped) {
            // closed by stop()
        }
    }

    private void answer(Socket connection) throws IOException {
        connection.setSoTimeout(10_000);
        InputStream in = connection.getInputStream();
        int lastFour = 0;
        while (lastFour != 0x0D0A0D0A) { // the blank line that ends the request head
            int b = in.read();
            if (b < 0) {
                return;
            }
            lastFour = (lastFour << 8) | b;
        }
        served.incrementAndGet();
        byte[] body = BODY.getBytes(StandardCharsets.US_ASCII);
        OutputStream out = connection.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** SYNs the kernel dropped because an accept queue was full, machine-wide. */
    static long listenOverflows() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
            for (int i = 0; i + 1 < lines.size(); i += 2) {
                if (lines.get(i).startsWith("TcpExt:")) {
                    List<String> names = List.of(lines.get(i).split("\\s+"));
                    return Long.parseLong(lines.get(i + 1).split("\\s+")[names.indexOf("ListenOverflows")]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no TcpExt ListenOverflows in /proc/net/netstat");
    }

    /** Connections dropped before the first was served (at least 1 once the service has tried); -1 before that. */
    public long droppedConnections() {
        return dropsSeen;
    }

    /** Requests answered (each on its own connection). */
    public int served() {
        return served.get();
    }

    @Override
    public void stop() {
        try {
            server.close();
            for (Socket plug : plugs) {
                plug.close();
            }
        } catch (IOException ignored) {
            // nothing left to free
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(InjectFakeUpstream.class, SynDroppingUpstream.class));
    }
}
