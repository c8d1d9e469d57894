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
import java.util.List;
import java.util.stream.Collectors;

import static dev.pwcheck.support.UpstreamMetrics.sum;
import static dev.pwcheck.support.UpstreamMetrics.upstreamFailures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cold checks, 8 at a time, against a real nginx with its default keep-alive (1,000 requests and 75 s a connection):
 * steady load, then bursts after idle gaps. Every verdict exact, no upstream failure, the breaker closed, and the
 * requests carried by at most 10 connections per 1,000.
 */
@QuarkusTest
@QuarkusTestResource(value = NginxUpstream.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "ranges", value = "1200"))
class NginxKeepAliveTest {

    @InjectFakeUpstream
    RangeFilesNginx nginx;

    @Inject
    RangeClient client;

    @TestHTTPResource("/v1/passwords/check")
    URI checkUri;

    @Test
    void steadyLoadAndBurstsAfterIdleGapsGoOverAFewReusedConnectionsWithoutAFailure() throws Exception {
        ColdChecks.assertExact(checkUri, ColdChecks.ranges(0, 1000), 8);
        for (int burst = 0; burst < 3; burst++) {
            Thread.sleep(1500); // idle between bursts, as login traffic has; nginx keeps the connections open
            ColdChecks.assertExact(checkUri, ColdChecks.ranges(1000 + burst * 60, 1060 + burst * 60), 8);
        }

        List<RangeFilesNginx.Logged> logged = nginx.awaitLogged(1180);
        assertEquals(1180, logged.size(), "one upstream request per cold check");
        long connections = logged.stream().map(RangeFilesNginx.Logged::connection).collect(Collectors.toSet()).size();
        assertTrue(connections * 1000 <= 10L * logged.size(),
                connections + " connections for " + logged.size() + " requests: more than 10 per 1,000");
        assertEquals(0, upstreamFailures(), "no attempt failed");
        assertEquals(0, sum("pwcheck_upstream_retries_total", ""), "nothing needed a retry");
        assertEquals(0, sum("pwcheck_upstream_circuit_transitions_total", "state=\"open\""), "the breaker never opened");
        assertEquals(CircuitBreakerState.CLOSED, client.breakerState());
        assertEquals(connections, sum("pwcheck_upstream_connections_total", ""), "the client counts the connections nginx saw");
    }
}
