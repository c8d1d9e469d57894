package dev.pwcheck.ops;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.pwcheck.support.Checks.checkSha1;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Slow and idle clients cannot hold the service: connections that send nothing are closed after the idle timeout
 * (1 s here; 2 min in production), and checks keep answering while hundreds of clients dribble a request head.
 * Margins are an order of magnitude above the work, so a busy machine does not change the outcome.
 */
@QuarkusTest
@TestProfile(SlowClientsTest.ShortIdle.class)
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class SlowClientsTest {

    public static class ShortIdle implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.idle-timeout", "1s");
        }
    }

    static final int CLIENTS = 300;
    static final String HASH = "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8";

    @InjectFakeUpstream
    WireMockServer upstream;

    @TestHTTPResource("/")
    URL service;

    private List<Socket> open(int count) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sockets.add(new Socket(service.getHost(), service.getPort()));
        }
        return sockets;
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        List<Socket> idle = open(CLIENTS);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); // 20 x the 1 s bound
            int closed = 0;
            for (Socket socket : idle) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                socket.setSoTimeout((int) Math.max(1, left));
                try {
                    if (socket.getInputStream().read() == -1) {
                        closed++;
                    }
                } catch (SocketTimeoutException stillOpen) {
                    break;
                } catch (IOException reset) {
                    closed++;
                }
            }
            assertEquals(CLIENTS, closed, "idle connections closed by the server");
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    @Test
    void checksKeepAnsweringWhileClientsDribbleTheirRequestHeads() throws Exception {
        upstream.stubFor(get(urlPathMatching("/range/5BAA6")).willReturn(aResponse().withStatus(200)
                .withBody("1E4C9B93F3F0682250B6CF8331B7EE68FD8:3861493")));
        checkSha1(HASH).body("verdict", equalTo("breached")); // cached from here on

        List<Socket> dribblers = open(CLIENTS);
        AtomicBoolean stop = new AtomicBoolean();
        Thread dribble = new Thread(() -> {
            byte[] line = "GET /range/5BAA6 HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] header = "X-Slow: a\r\n".getBytes(StandardCharsets.US_ASCII);
            boolean first = true;
            while (!stop.get()) {
                for (Socket socket : dribblers) {
                    try {
                        socket.getOutputStream().write(first ? line : header);
                    } catch (IOException closedByServer) {
                        // the head limit (16 KiB) or the idle timeout ended it: also fine
                    }
                }
                first = false;
                try {
                    Thread.sleep(200); // well inside the 1 s idle timeout, so these are not idle
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "dribbler");
        dribble.start();
        try {
            Thread.sleep(500);
            for (int i = 0; i < 20; i++) {
                checkSha1(HASH).time(lessThan(2000L), TimeUnit.MILLISECONDS)
                        .header("X-Pwcheck-Source", "cache").body("count", equalTo(3861493));
            }
        } finally {
            stop.set(true);
            dribble.join();
            for (Socket socket : dribblers) {
                socket.close();
            }
        }
    }
}
