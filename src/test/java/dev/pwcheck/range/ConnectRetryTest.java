package dev.pwcheck.range;

import dev.pwcheck.support.InjectFakeUpstream;
import dev.pwcheck.support.SynDroppingUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static dev.pwcheck.support.Checks.checkPassword;
import static dev.pwcheck.support.Metrics.assertCounted;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lost connection attempt (SYN dropped by a full accept queue) with the production timings: the 300 ms connect
 * timeout fires well before the kernel's 1 s SYN retry, and the check is retried on a new connection within its 2 s
 * deadline instead of answering unknown.
 */
@QuarkusTest
@QuarkusTestResource(value = SynDroppingUpstream.class, restrictToAnnotatedClass = true)
class ConnectRetryTest {

    @InjectFakeUpstream
    SynDroppingUpstream upstream;

    @Test
    void aConnectionAttemptThatIsNeverAnsweredIsRetriedOnANewConnection() {
        checkPassword("password")
                .statusCode(200)
                .header("X-Pwcheck-Source", "upstream")
                .body("verdict", equalTo("breached"))
                .body("count", equalTo(3861493));

        assertTrue(upstream.droppedConnections() >= 1, "the first SYN was dropped by the kernel");
        assertEquals(1, upstream.served(), "answered on the second connection");
        assertCounted("pwcheck_upstream_failures_total{cause=\"connect\"");
        assertCounted("pwcheck_upstream_retries_total");
    }
}
