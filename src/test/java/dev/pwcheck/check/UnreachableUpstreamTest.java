package dev.pwcheck.check;

import dev.pwcheck.range.Source;
import static dev.pwcheck.support.Checks.checkSha1;
import static dev.pwcheck.support.Checks.checkPassword;
import dev.pwcheck.support.Metrics;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

/** With nothing listening upstream (connection refused) every check is an immediate unknown, never a 500. */
@QuarkusTest
@TestProfile(UnreachableUpstreamTest.ClosedPort.class)
class UnreachableUpstreamTest {

    public static class ClosedPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try (ServerSocket socket = new ServerSocket(0)) {
                // The port was free a moment ago and nothing of ours listens on it after this socket closes.
                return Map.of("pwcheck.upstream.url", "http://127.0.0.1:" + socket.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void connectionRefusedIsUnknown() {
        checkPassword("password")
                .time(lessThan(10_000L), TimeUnit.MILLISECONDS)
                .header(Source.HEADER, "none")
                .body("verdict", equalTo("unknown"))
                .body("count", equalTo(0));
    }

    @Test
    void aSha1CheckIsUnknownToo() {
        checkSha1("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8").body("verdict", equalTo("unknown"));
    }

    @Test
    void upstreamFailuresAreCountedByCause() {
        checkPassword("count-my-failure");

        Metrics.assertCounted("pwcheck_upstream_failures_total{cause=\"connect\"");
    }
}
