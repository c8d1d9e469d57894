package dev.pwcheck.ops;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.Hashes;
import dev.pwcheck.support.PackagedService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
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
    private PackagedService service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
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
        // This test is about shutdown, not timeouts: on a loaded machine a cold first upstream call must not turn
        // the in-flight check into an 'unknown' by the production deadline.
        service = PackagedService.start(Map.of(
                "PWCHECK_UPSTREAM_URL", upstream.baseUrl(),
                "PWCHECK_UPSTREAM_READ_TIMEOUT", "8000ms",
                "PWCHECK_UPSTREAM_FIRST_BYTE_TIMEOUT", "8s",
                "PWCHECK_UPSTREAM_TIMEOUT", "9s",
                "PWCHECK_DEADLINE", "10s"));
        String base = service.base();
        String management = service.management();
        // The packaged jar as production runs it: health and metrics only on the management port.
        assertEquals(404, service.status(base + "/q/metrics"), "metrics on the public port");
        assertEquals(404, service.status(base + "/q/health/ready"), "health on the public port");
        assertEquals(404, service.status(base + "/q/swagger-ui"), "no Swagger UI in the packaged jar");
        assertEquals(200, service.status(base + "/q/openapi"), "the OpenAPI document stays public");
        assertEquals(200, service.status(management + "/q/metrics"), "metrics on the management port");
        // Loads the upstream path (client, pool, parser) so the timed check below starts warm.
        assertEquals(200, service.check(WARM_UP).statusCode(), service::log);

        CompletableFuture<HttpResponse<String>> check = http.sendAsync(PackagedService.checkRequest(base, PASSWORD), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(200);
        long signalled = System.nanoTime();
        service.process().destroy(); // SIGTERM
        int readiness = readinessWithin(management, Duration.ofSeconds(4)); // well inside the 5 s shutdown delay
        HttpResponse<String> answer = check.get(20, TimeUnit.SECONDS);
        boolean exited = service.process().waitFor(40, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - signalled) / 1e9;

        assertEquals(503, readiness, "readiness soon after SIGTERM, within the shutdown delay");
        assertEquals(200, answer.statusCode());
        assertEquals("{\"verdict\":\"breached\",\"count\":77}", answer.body(), service::log);
        assertTrue(exited, () -> "the process exits by itself: " + service.log());
        assertTrue(seconds >= 4.5 && seconds < 30, "exit after the 5 s shutdown delay and within the timeout: " + seconds + " s");
    }

    /** Polls readiness until it is 503 or {@code limit} has passed; returns the last status seen. */
    private int readinessWithin(String management, Duration limit) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        int status;
        while ((status = service.status(management + "/q/health/ready")) != 503 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        return status;
    }
}
