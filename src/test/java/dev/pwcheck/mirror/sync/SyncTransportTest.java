package dev.pwcheck.mirror.sync;

import dev.pwcheck.mirror.Progress;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.MirrorStoreTest;
import dev.pwcheck.mirror.store.StoreException;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.support.RangeFilesNginx;
import dev.pwcheck.support.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sync's HTTP/1.1 client against real servers: Debian's nginx over TLS with gzip (chunked, as nginx's gzip filter
 * streams it), the same nginx reached under a name its certificate does not hold, nginx with a small keep-alive limit,
 * and a server that closes a kept-alive connection instead of answering the next request on it. Every sync here runs
 * with no retries, so a request the transport lost would stop it.
 */
class SyncTransportTest {

    @TempDir
    Path dir;

    private Path sync(String upstream, int last, int concurrency) throws IOException, InterruptedException {
        RangeSync.Settings settings = new RangeSync.Settings(URI.create(upstream), HashMode.SHA1, concurrency, 0, Duration.ofSeconds(10), 0, last);
        return new RangeSync(settings, new Progress("ranges", last + 1L, new PrintStream(new ByteArrayOutputStream()), false),
                new PrintStream(new ByteArrayOutputStream())).run(dir);
    }

    private static void assertHoldsTheFiles(MirrorStore store, int ranges) {
        assertEquals(ranges, store.presentRanges());
        assertEquals((long) ranges * RangeFilesNginx.HASHES_PER_RANGE, store.hashes());
        for (int range = 0; range < ranges; range++) {
            RangeFilesNginx.Known breached = RangeFilesNginx.breached(range);
            assertEquals(breached.count(), MirrorStoreTest.countOf(store, breached.sha1()), breached.sha1());
            assertEquals(0, MirrorStoreTest.countOf(store, RangeFilesNginx.absent(range).sha1()));
        }
    }

    /** What the JVM is started with when it must trust a private CA: the trust store's properties, for {@code body} only. */
    private static void trusting(Path trustStore, ThrowingRunnable body) throws Exception {
        String[] keys = {"javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType"};
        String[] values = {trustStore.toString(), TestCertificates.PASSWORD, "PKCS12"};
        String[] before = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            before[i] = System.getProperty(keys[i]);
            System.setProperty(keys[i], values[i]);
        }
        try {
            body.run();
        } finally {
            for (int i = 0; i < keys.length; i++) {
                if (before[i] == null) {
                    System.clearProperty(keys[i]);
                } else {
                    System.setProperty(keys[i], before[i]);
                }
            }
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aSyncOverTlsTakesGzipFromNginxAndStoresExactlyTheFiles() throws Exception {
        // The JVM's default TLS context is made once, from the properties of the moment: made here before they are
        // set (as anything earlier in a process may have), it must not be what the sync trusts.
        javax.net.ssl.SSLContext.getDefault();
        try (RangeFilesNginx nginx = RangeFilesNginx.serve(64, new RangeFilesNginx.Options(null, null, true))) {
            // The sync trusts what the JVM trusts: an operator behind a private CA gives it -Djavax.net.ssl.trustStore.
            trusting(nginx.trustStore(), () -> {
                MirrorStore store = MirrorStore.open(sync(nginx.url(), 63, 4), true);

                assertHoldsTheFiles(store, 64);
                List<RangeFilesNginx.Logged> log = nginx.awaitLogged(64);
                assertEquals(64, log.size(), "one request a range");
                assertTrue(log.stream().allMatch(l -> l.status() == 200 && "gzip".equals(l.encoding()) && "HTTP/1.1".equals(l.protocol())), log.toString());
                assertTrue(log.stream().map(RangeFilesNginx.Logged::connection).distinct().count() <= 4, "kept-alive connections, one a request in flight");
            });
        }
    }

    @Test
    void aCertificateThatDoesNotNameTheUpstreamIsRefusedThoughItsCaIsTrusted() throws Exception {
        // nginx's certificate names localhost and 127.0.0.1; the sync reaches the same nginx as 127.0.0.2 (loopback
        // too), through a relay that passes the bytes on, so the only thing wrong is the name.
        try (RangeFilesNginx nginx = RangeFilesNginx.serve(4, new RangeFilesNginx.Options(null, null, true));
             Relay relay = new Relay(InetAddress.getByName("127.0.0.2"), URI.create(nginx.url()).getPort())) {
            trusting(nginx.trustStore(), () -> {
                StoreException refused = assertThrows(StoreException.class, () -> sync("https://127.0.0.2:" + relay.port(), 3, 1));

                assertTrue(refused.getMessage().contains("SSLHandshakeException") && refused.getMessage().contains("127.0.0.2"),
                        refused.getMessage());
                assertTrue(relay.connections() >= 1, "the sync did reach the server");
                assertEquals(List.of(), nginx.log(), "no request was sent over a connection to a server the certificate does not name");
            });
        }
    }

    /** Passes every connection made to {@code address} (on a port of its own) on to 127.0.0.1:{@code port}, both ways. */
    private static final class Relay implements java.io.Closeable {
        private final ServerSocket server;
        private final AtomicInteger connections = new AtomicInteger();
        private final List<Socket> open = new java.util.concurrent.CopyOnWriteArrayList<>();

        Relay(InetAddress address, int port) throws IOException {
            server = new ServerSocket(0, 50, address);
            Thread accepting = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), port);
                        connections.incrementAndGet();
                        open.add(client);
                        open.add(upstream);
                        pump(client, upstream);
                        pump(upstream, client);
                    } catch (IOException e) {
                        // closed: the test is over
                    }
                }
            }, "relay-accept");
            accepting.setDaemon(true);
            accepting.start();
        }

        private static void pump(Socket from, Socket to) {
            Thread pumping = new Thread(() -> {
                try {
                    from.getInputStream().transferTo(to.getOutputStream());
                } catch (IOException e) {
                    // one side went away
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "relay-pump");
            pumping.setDaemon(true);
            pumping.start();
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }

        int port() {
            return server.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            server.close();
            open.forEach(Relay::closeQuietly);
        }
    }

    @Test
    void anNginxThatClosesEveryTenthRequestIsSyncedWithoutLosingOne() throws Exception {
        try (RangeFilesNginx nginx = RangeFilesNginx.serve(256, new RangeFilesNginx.Options(10, null, false))) {
            MirrorStore store = MirrorStore.open(sync(nginx.url(), 255, 4), true);

            assertHoldsTheFiles(store, 256);
            List<RangeFilesNginx.Logged> log = nginx.awaitLogged(256);
            assertEquals(256, log.size(), "no range asked twice");
            Set<Long> connections = log.stream().map(RangeFilesNginx.Logged::connection).collect(Collectors.toSet());
            assertTrue(connections.size() >= 26 && connections.size() <= 26 + 4, "a new connection each 10 requests: " + connections.size());
        }
    }

    @Test
    void aKeptAliveConnectionClosedUnansweredGetsTheRequestAgainOnAFreshOne() throws Exception {
        byte[] body = ("0".repeat(35) + ":5\r\n" + "1".repeat(35) + ":7").getBytes(StandardCharsets.US_ASCII);
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        int connection = connections.incrementAndGet();
                        InputStream in = socket.getInputStream();
                        OutputStream out = socket.getOutputStream();
                        for (int answered = 0; readRequest(in); answered++) {
                            requests.incrementAndGet();
                            if (connection == 1 && answered == 1) {
                                break; // the server's keep-alive ended as the second request came: closed unanswered
                            }
                            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.write(body);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // the client went away, or the test is over
                    }
                }
            });
            serving.setDaemon(true);
            serving.start();

            MirrorStore store = MirrorStore.open(sync("http://127.0.0.1:" + server.getLocalPort(), 2, 1), true);

            assertEquals(3, store.presentRanges());
            assertEquals(5, MirrorStoreTest.countOf(store, "00002" + "0".repeat(35)));
            assertEquals(4, requests.get(), "three ranges, and the one request the closing connection never answered");
            assertEquals(2, connections.get(), "one fresh connection for the request sent again");
        }
    }

    /** Reads one request's head; false at the end of the stream. */
    private static boolean readRequest(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while ((b = in.read()) >= 0) {
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            if (matched == 4) {
                return true;
            }
        }
        return false;
    }
}
