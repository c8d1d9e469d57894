package dev.pwcheck.check;

import dev.pwcheck.range.Source;
import dev.pwcheck.support.EndlessUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static dev.pwcheck.support.Checks.checkPassword;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An upstream streaming a huge body without a Content-Length is cut off at the 2 MiB cap, not read to the end. */
@QuarkusTest
@QuarkusTestResource(value = EndlessUpstream.class, restrictToAnnotatedClass = true)
class OversizedBodyTest {

    @Test
    void aChunkedBodyOverTheCapIsRejectedWithoutReadingItAll() throws Exception {
        checkPassword("endless-body").time(lessThan(10_000L), TimeUnit.MILLISECONDS)
                .header(Source.HEADER, "none").body("verdict", equalTo("unknown"));
        Thread.sleep(300); // let the fake notice the closed connection
        long written = EndlessUpstream.WRITTEN.get();
        // 2 MiB read plus what the loopback socket buffers held when the client hung up; far from the 64 MiB offered.
        assertTrue(written < 10L * 1024 * 1024, "upstream wrote " + written + " bytes before the client stopped reading");
    }
}
