package dev.pwcheck.ops;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.Hashes;
import dev.pwcheck.support.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service, as Kubernetes stops it: SIGTERM while a check waits on a slow upstream. Readiness must go
 * DOWN at once, the check must still get its answer, and the process must exit by itself after the shutdown delay.
 */
class GracefulShutdownIT {

    static final String PASSWORD = "in flight at SIGTERM";
    static final String WARM_UP = "checked before the test starts";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private WireMockServer upstream;
    private Process service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.destroyForcibly();
        }
        if (upstream != null) {
            upstream.stop();
        }
    }

    @Test
    void aCheckInFlightAtSigtermIsAnsweredAndReadinessGoesDownFirst() throws Exception {
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        String hash = Hashes.sha1(PASSWORD);
        // Much slower than the gap before SIGTERM, well inside the generous timeouts set below.
        upstream.stubFor(get(urlEqualTo("/range/" + Hashes.prefix(hash)))
                .willReturn(aResponse().withStatus(200).withFixedDelay(1500).withBody(Hashes.line(Hashes.suffix(hash), 77))));
        String warmUp = Hashes.sha1(WARM_UP);
        upstream.stubFor(get(urlEqualTo("/range/" + Hashes.prefix(warmUp)))
                .willReturn(aResponse().withStatus(200).withBody(Hashes.line(Hashes.suffix(warmUp), 1))));
        int port = Ports.free();
        int managementPort = Ports.free();
        Path log = Files.createTempFile("pwcheck-it", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("pwcheck.jar"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        builder.environment().put("QUARKUS_REST_CLIENT_HIBP_URL", upstream.baseUrl());
        // This test is about shutdown, not timeouts: on a loaded machine a cold first upstream call must not turn
        // the in-flight check into an 'unknown' by the production deadline.
        builder.environment().put("QUARKUS_REST_CLIENT_HIBP_READ_TIMEOUT", "8000");
        builder.environment().put("PWCHECK_UPSTREAM_FIRST_BYTE_TIMEOUT", "8s");
        builder.environment().put("PWCHECK_UPSTREAM_TIMEOUT", "9s");
        builder.environment().put("PWCHECK_DEADLINE", "10s");
        service = builder.start();
        String base = "http://127.0.0.1:" + port;
        String management = "http://127.0.0.1:" + managementPort;
        awaitReady(management, log);
        // The packaged jar as production runs it: health and metrics only on the management port.
        assertEquals(404, status(base + "/q/metrics"), "metrics on the public port");
        assertEquals(404, status(base + "/q/health/ready"), "health on the public port");
        assertEquals(404, status(base + "/q/swagger-ui"), "no Swagger UI in the packaged jar");
        assertEquals(200, status(base + "/q/openapi"), "the OpenAPI document stays public");
        assertEquals(200, status(management + "/q/metrics"), "metrics on the management port");
        // Loads the upstream path (client, pool, parser) so the timed check below starts warm.
        assertEquals(200, check(base, WARM_UP).statusCode(), () -> read(log));

        CompletableFuture<HttpResponse<String>> check = http.sendAsync(checkRequest(base, PASSWORD), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(200);
        long signalled = System.nanoTime();
        service.destroy(); // SIGTERM
        int readiness = readinessWithin(management, Duration.ofSeconds(4)); // well inside the 5 s shutdown delay
        HttpResponse<String> answer = check.get(20, TimeUnit.SECONDS);
        boolean exited = service.waitFor(40, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - signalled) / 1e9;

        assertEquals(503, readiness, "readiness soon after SIGTERM, within the shutdown delay");
        assertEquals(200, answer.statusCode());
        assertEquals("{\"verdict\":\"breached\",\"count\":77}", answer.body(), () -> read(log));
        assertTrue(exited, "the process exits by itself: " + Files.readString(log));
        assertTrue(seconds >= 4.5 && seconds < 30, "exit after the 5 s shutdown delay and within the timeout: " + seconds + " s");
    }

    /** Polls readiness until it is 503 or {@code limit} has passed; returns the last status seen. */
    private int readinessWithin(String management, Duration limit) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        int status;
        while ((status = status(management + "/q/health/ready")) != 503 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        return status;
    }

    private void awaitReady(String base, Path log) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            if (status(base + "/q/health/ready") == 200) {
                return;
            }
            assertTrue(service.isAlive(), () -> "the service stopped: " + read(log));
            Thread.sleep(100);
        }
        throw new AssertionError("the service did not get ready: " + read(log));
    }

    private HttpResponse<String> check(String base, String password) throws Exception {
        return http.send(checkRequest(base, password), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest checkRequest(String base, String password) {
        return HttpRequest.newBuilder(URI.create(base + "/v1/passwords/check"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + password + "\"}"))
                .build();
    }

    private int status(String url) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
