package dev.pwcheck.upstream;

import dev.pwcheck.range.Source;
import dev.pwcheck.check.CheckResource;
import dev.pwcheck.support.InjectFakeUpstream;
import dev.pwcheck.support.ScriptedUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static dev.pwcheck.support.Checks.checkPassword;
import static dev.pwcheck.support.Metrics.assertCounted;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An upstream whose first connection is accepted and then never answers, the next ones fine, with the production
 * timings (2 s deadline, 1 s attempts, 400 ms first-byte timeout): the check gets its verdict on a second connection
 * within the deadline instead of answering unknown when the first attempt times out.
 */
@QuarkusTest
@QuarkusTestResource(value = ScriptedUpstream.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "script", value = "silent-first"))
class SilentConnectionTest {

    @InjectFakeUpstream
    ScriptedUpstream upstream;

    @Test
    void aConnectionThatNeverAnswersIsGivenUpAndTheCheckAnsweredOnAnother() {
        checkPassword("password")
                .header(Source.HEADER, "upstream")
                .body("verdict", equalTo("breached"))
                .body("count", equalTo(ScriptedUpstream.COUNT));

        assertEquals(2, upstream.connections(), "the silent connection, then a fresh one");
        assertEquals(1, upstream.answered());
        assertCounted("pwcheck_upstream_failures_total{cause=\"first_byte_timeout\"");
        assertCounted("pwcheck_upstream_retries_total");
    }
}
