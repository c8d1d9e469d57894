package dev.pwcheck.upstream;

import dev.pwcheck.support.ColdChecks;
import dev.pwcheck.support.InjectFakeUpstream;
import dev.pwcheck.support.NginxUpstream;
import dev.pwcheck.support.RangeFilesNginx;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.stream.Collectors;

import static dev.pwcheck.support.UpstreamMetrics.sum;
import static dev.pwcheck.support.UpstreamMetrics.upstreamFailures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same traffic against an nginx that closes connections early and often ({@code keepalive_requests 5;
 * keepalive_timeout 1s}): every fifth answer says "Connection: close" and idle connections are closed after a second,
 * so pooled connections die under the client all the time. None of that may show as a failure, an unknown or a
 * wrong verdict, nor count toward the breaker.
 */
@QuarkusTest
@QuarkusTestResource(value = NginxUpstream.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "ranges", value = "800"),
        @ResourceArg(name = "keepalive-requests", value = "5"),
        @ResourceArg(name = "keepalive-timeout", value = "1s")})
class NginxShortKeepAliveTest {

    @InjectFakeUpstream
    RangeFilesNginx nginx;

    @Inject
    RangeClient client;

    @TestHTTPResource("/v1/passwords/check")
    URI checkUri;

    @Test
    void connectionsTheUpstreamClosesEarlyCostNoFailure() throws Exception {
        ColdChecks.assertExact(checkUri, ColdChecks.ranges(0, 500), 8);
        for (int burst = 0; burst < 5; burst++) {
            Thread.sleep(1500); // past nginx's 1 s keep-alive timeout: every pooled connection is closed by nginx meanwhile
            ColdChecks.assertExact(checkUri, ColdChecks.ranges(500 + burst * 60, 560 + burst * 60), 8);
        }

        long connections = nginx.awaitLogged(800).stream().map(RangeFilesNginx.Logged::connection).collect(Collectors.toSet()).size();
        assertTrue(connections >= 800 / 5, "nginx closed a connection every 5 requests: " + connections);
        assertEquals(0, upstreamFailures(), "no attempt failed");
        assertEquals(0, sum("pwcheck_upstream_circuit_transitions_total", "state=\"open\""), "the breaker never opened");
        assertEquals(CircuitBreakerState.CLOSED, client.breakerState());
    }
}
