package dev.pwcheck.upstream;

import dev.pwcheck.range.Source;
import dev.pwcheck.check.CheckResource;
import dev.pwcheck.support.AdjustableTicker;
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
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static dev.pwcheck.support.Checks.checkSha1;
import static dev.pwcheck.support.UpstreamMetrics.sum;
import static dev.pwcheck.support.UpstreamMetrics.upstreamFailures;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * nginx over TLS with HTTP/2 and gzip on offer, its certificate signed by a private CA that the service trusts only
 * through {@code pwcheck.upstream.trust-store}, {@code -password} and {@code -type}: HTTP/2 is negotiated, the
 * ranges arrive compressed and are taken, many share one connection, and an expired range is renewed by a 304.
 */
@QuarkusTest
@QuarkusTestResource(value = NginxUpstream.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "ranges", value = "400"),
        @ResourceArg(name = "tls", value = "true")})
class NginxTlsHttp2Test {

    @InjectFakeUpstream
    RangeFilesNginx nginx;

    @Inject
    RangeClient client;

    @Inject
    AdjustableTicker ticker;

    @TestHTTPResource("/v1/passwords/check")
    URI checkUri;

    @Test
    void rangesComeCompressedOverOneHttp2ConnectionFromAnUpstreamBehindAPrivateCa() {
        int before = nginx.log().size();
        ColdChecks.assertExact(checkUri, ColdChecks.ranges(0, 300), 8);

        List<RangeFilesNginx.Logged> logged = nginx.awaitLogged(before + 300).subList(before, before + 300);
        assertTrue(logged.stream().allMatch(l -> l.protocol().equals("HTTP/2.0")), "every request went over HTTP/2");
        assertTrue(logged.stream().allMatch(l -> l.status() == 200 && l.encoding().equals("gzip")), "every answer was sent gzipped");
        long connections = logged.stream().map(RangeFilesNginx.Logged::connection).collect(Collectors.toSet()).size();
        assertTrue(connections <= 2, "the ranges shared one HTTP/2 connection: " + connections);
        assertTrue(sum("pwcheck_upstream_answers_total", "as=\"gzip\",protocol=\"h2\"") >= 300, "the client took the compressed answers over h2");
        assertEquals(0, sum("pwcheck_upstream_answers_total", "as=\"identity\""), "no answer came uncompressed");
        assertEquals(0, upstreamFailures());
        assertEquals(CircuitBreakerState.CLOSED, client.breakerState());
    }

    @Test
    void anExpiredRangeIsRenewedByA304WithoutItsBody() {
        RangeFilesNginx.Known hash = RangeFilesNginx.breached(310);
        checkSha1(hash.sha1()).header(Source.HEADER, "upstream").body("count", equalTo(hash.count()));
        double revalidated = sum("pwcheck_cache_revalidated_total", "");
        ticker.advance(Duration.ofHours(25));

        checkSha1(hash.sha1()).header(Source.HEADER, "upstream").body("count", equalTo(hash.count()));

        List<RangeFilesNginx.Logged> forRange = nginx.awaitLogged(nginx.log().size()).stream()
                .filter(l -> l.uri().equals("/range/" + RangeFilesNginx.prefix(310))).toList();
        assertEquals(List.of(200, 304), forRange.stream().map(RangeFilesNginx.Logged::status).toList(), "fetched once, then revalidated");
        assertEquals(revalidated + 1, sum("pwcheck_cache_revalidated_total", ""));
        assertTrue(sum("pwcheck_upstream_answers_total", "as=\"not_modified\",protocol=\"h2\"") >= 1);
        // Renewed for a whole TTL: the next check is a cache hit.
        checkSha1(hash.sha1()).header(Source.HEADER, "cache");
    }

    @Test
    void aRangeThatChangedUpstreamIsFetchedWholeOnRefresh() {
        RangeFilesNginx.Known hash = RangeFilesNginx.breached(320);
        checkSha1(hash.sha1()).body("count", equalTo(hash.count()));
        nginx.replace(320, hash.sha1().substring(5) + ":" + (hash.count() + 1000));
        ticker.advance(Duration.ofHours(25));

        checkSha1(hash.sha1()).header(Source.HEADER, "upstream").body("count", equalTo(hash.count() + 1000));

        List<Integer> statuses = nginx.awaitLogged(nginx.log().size()).stream()
                .filter(l -> l.uri().equals("/range/" + RangeFilesNginx.prefix(320))).map(RangeFilesNginx.Logged::status).toList();
        assertEquals(List.of(200, 200), statuses, "the changed range came whole");
    }
}
