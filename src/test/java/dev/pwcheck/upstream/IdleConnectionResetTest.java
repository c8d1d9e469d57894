package dev.pwcheck.upstream;

import dev.pwcheck.range.Source;
import dev.pwcheck.support.CapturedLogs;
import dev.pwcheck.support.InjectFakeUpstream;
import dev.pwcheck.support.ScriptedUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.pwcheck.support.Checks.checkSha1;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kept-alive upstream connection reset while idle in the pool (an upstream killed or restarted, a balancer dropping
 * it): the client closes it quietly and the next check goes out on a fresh one. Before, the reset reached Vert.x's
 * default handler, an ERROR line each (the soak's "upstream gone" minute found it).
 */
@QuarkusTest
@QuarkusTestResource(value = ScriptedUpstream.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "script", value = "reset-idle"))
class IdleConnectionResetTest {

    @InjectFakeUpstream
    ScriptedUpstream upstream;

    @Test
    void aResetIdleConnectionIsDroppedWithoutAnErrorLine() throws InterruptedException {
        String password = "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8"; // SHA-1 of "password"
        try (CapturedLogs logs = CapturedLogs.start()) {
            checkSha1(password).header(Source.HEADER, "upstream").body("count", equalTo(ScriptedUpstream.COUNT));
            for (int i = 0; i < 3000 && upstream.resets() < 1; i++) {
                Thread.sleep(10);
            }
            assertEquals(1, upstream.resets(), "the idle connection was reset");
            // Another range: by the time it has a connection of its own, the reset of the first has been handled.
            checkSha1("ABCDE" + password.substring(5)).header(Source.HEADER, "upstream").body("count", equalTo(ScriptedUpstream.COUNT));
            assertTrue(upstream.connections() >= 2, "a fresh connection: " + upstream.connections());
            assertEquals(List.of(), logs.errors());
        }
    }
}
