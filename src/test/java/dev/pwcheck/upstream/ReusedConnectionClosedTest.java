package dev.pwcheck.upstream;

import dev.pwcheck.range.Source;
import dev.pwcheck.check.CheckResource;
import dev.pwcheck.support.InjectFakeUpstream;
import dev.pwcheck.support.ScriptedUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static dev.pwcheck.support.Checks.checkSha1;
import static dev.pwcheck.support.UpstreamMetrics.sum;
import static dev.pwcheck.support.UpstreamMetrics.upstreamFailures;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A request on a reused keep-alive connection that the peer closes before any byte of the answer: sent again at once
 * on a fresh connection, counted as a reconnect, and neither an upstream failure nor a retry (so never toward the
 * breaker).
 */
@QuarkusTest
@QuarkusTestResource(value = ScriptedUpstream.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "script", value = "close-after-one"))
class ReusedConnectionClosedTest {

    @InjectFakeUpstream
    ScriptedUpstream upstream;

    @Test
    void aReusedConnectionClosedBeforeTheAnswerIsReplacedTransparently() {
        String password = "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8"; // SHA-1 of "password"
        checkSha1(password).header(Source.HEADER, "upstream").body("count", equalTo(ScriptedUpstream.COUNT));
        // Another range (so not from the cache): goes out on the pooled connection, which the peer closes unanswered.
        checkSha1("ABCDE" + password.substring(5)).header(Source.HEADER, "upstream").body("count", equalTo(ScriptedUpstream.COUNT));

        assertEquals(2, upstream.connections(), "the reused connection, then a fresh one");
        assertEquals(2, upstream.answered());
        assertEquals(1, sum("pwcheck_upstream_reconnects_total", ""));
        assertEquals(0, upstreamFailures(), "not an upstream failure");
        assertEquals(0, sum("pwcheck_upstream_retries_total", ""), "not a retry of the guard");
    }
}
