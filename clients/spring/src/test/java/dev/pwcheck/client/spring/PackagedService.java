package dev.pwcheck.client.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The packaged service jar ({@code -Dpwcheck.jar}) as a process of its own, asking the bundled fake upstream
 * ({@code bench/fake_upstream.py} with {@code bench/sample-passwords.txt}: {@code password} seen 1,000 times,
 * {@code 123456} 1,001, {@code qwerty} 1,003, ...), both on free loopback ports; and the two ways a service fails to
 * answer: a port that accepts connections and never answers, and one where nothing listens.
 */
final class PackagedService implements AutoCloseable {

    private static final Path REPO = Path.of(System.getProperty("pwcheck.repo", "../..")).toAbsolutePath().normalize();

    private final Process upstream;
    private final Process service;
    private final Path log;
    private final int port;

    private PackagedService(Process upstream, Process service, Path log, int port) {
        this.upstream = upstream;
        this.service = service;
        this.log = log;
        this.port = port;
    }

    /** Starts the fake upstream and the service with {@code env} added, and waits until the service is ready. */
    static PackagedService start(Map<String, String> env) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("pwcheck.jar", REPO.resolve("target/quarkus-app/quarkus-run.jar").toString()));
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("no packaged service at " + jar + ": build it first (./mvnw package, which bin/test runs)");
        }
        int upstreamPort = freePort();
        Path upstreamLog = Files.createTempFile("pwcheck-fake-upstream", ".log");
        Process upstream = new ProcessBuilder("python3", REPO.resolve("bench/fake_upstream.py").toString(),
                "--port", String.valueOf(upstreamPort), "--passwords", REPO.resolve("bench/sample-passwords.txt").toString())
                .redirectErrorStream(true).redirectOutput(upstreamLog.toFile()).start();
        awaitListening(upstreamPort, upstream, upstreamLog);

        int port = freePort();
        int managementPort = freePort();
        Path log = Files.createTempFile("pwcheck-service", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        builder.environment().put("PWCHECK_UPSTREAM_URL", "http://127.0.0.1:" + upstreamPort);
        // Every line the service's own code can write, so that the log check has all of them to read.
        builder.environment().put("QUARKUS_LOG_CATEGORY__DEV_PWCHECK__LEVEL", "DEBUG");
        builder.environment().putAll(env);
        PackagedService started = new PackagedService(upstream, builder.start(), log, port);
        started.awaitReady("http://127.0.0.1:" + managementPort + "/q/health/ready");
        return started;
    }

    private void awaitReady(String readiness) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < until) {
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create(readiness)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!service.isAlive()) {
                throw new AssertionError("the service stopped: " + log());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the service did not get ready: " + log());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** What the service has logged so far. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        service.destroy();
        upstream.destroy();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitListening(int port, Process process, Path log) throws InterruptedException, IOException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < until) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new AssertionError("the fake upstream stopped: " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the fake upstream did not listen: " + Files.readString(log));
    }

    /** A service that accepts connections and never answers: the checker must give up within its timeouts. */
    static final class Silent implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        Silent() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accepting = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept()); // read nothing, answer nothing, keep it open
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-service");
            accepting.setDaemon(true);
            accepting.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        int connections() {
            return held.size();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
