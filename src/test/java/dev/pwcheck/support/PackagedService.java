package dev.pwcheck.support;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar ({@code target/quarkus-app/quarkus-run.jar}, built by {@code verify} before the {@code *IT} tests)
 * run as production runs it: a process of its own on free public and management ports, its log in a file, ready
 * when its readiness says so. For the tests that need the real artefact rather than a {@code @QuarkusTest}.
 */
public final class PackagedService implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Process process;
    private final Path log;
    private final int port;
    private final int managementPort;

    private PackagedService(Process process, Path log, int port, int managementPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Starts the jar with {@code env} added to the environment and {@code jvmArgs} before {@code -jar}, and waits until it is ready. */
    public static PackagedService start(Map<String, String> env, String... jvmArgs) throws IOException, InterruptedException {
        int port = Ports.free();
        int managementPort = Ports.free();
        Path log = Files.createTempFile("pwcheck-it", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmArgs));
        command.addAll(List.of("-jar", System.getProperty("pwcheck.jar")));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        builder.environment().putAll(env);
        PackagedService service = new PackagedService(builder.start(), log, port, managementPort);
        service.awaitReady();
        return service;
    }

    private void awaitReady() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            if (status(management() + "/q/health/ready") == 200) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the service stopped: " + log());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the service did not get ready: " + log());
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public String management() {
        return "http://127.0.0.1:" + managementPort;
    }

    public Process process() {
        return process;
    }

    /** The status of a GET of {@code url}, or -1 when nothing answered. */
    public int status(String url) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    public static HttpRequest checkRequest(String base, String password) {
        return HttpRequest.newBuilder(URI.create(base + "/v1/passwords/check"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + password + "\"}"))
                .build();
    }

    /** Checks {@code password} and returns the answer. */
    public HttpResponse<String> check(String password) throws IOException, InterruptedException {
        return http.send(checkRequest(base(), password), HttpResponse.BodyHandlers.ofString());
    }

    /** The service's management-port scrape. */
    public String metrics() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(management() + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** What the service has logged so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
