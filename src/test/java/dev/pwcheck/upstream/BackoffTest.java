package dev.pwcheck.upstream;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    /** As configured by default but for a 300 ms ceiling and a 2 s Retry-After cap; the first delay is init(50). */
    private static RangeClient.Backoff backoff() {
        RangeClient.Backoff backoff = new RangeClient.Backoff(Duration.ofMillis(300), Duration.ofSeconds(2));
        backoff.init(50);
        return backoff;
    }

    private static UpstreamException rateLimited(long seconds) {
        return new UpstreamException(FailureCause.RATE_LIMITED, "429", 429, Duration.ofSeconds(seconds));
    }

    @Test
    void aRetryAfterWithinTheCapIsTheWait() {
        RangeClient.Backoff backoff = backoff();
        assertEquals(1000, backoff.nextDelayInMillis(rateLimited(1)));
        assertEquals(2000, backoff.nextDelayInMillis(rateLimited(2)));
    }

    @Test
    void otherwiseTheWaitIsJitteredBelowADoublingCeiling() {
        long[] ceilings = { 50, 100, 200, 300, 300, 300 };
        for (int run = 0; run < 200; run++) {
            RangeClient.Backoff backoff = backoff();
            for (long ceiling : ceilings) {
                long wait = backoff.nextDelayInMillis(new UpstreamException(FailureCause.CONNECT, "reset"));
                assertTrue(wait >= 0 && wait <= ceiling, wait + " over " + ceiling);
            }
        }
        // An over-cap Retry-After is not taken (the retry predicate refuses it); the strategy falls back to jitter.
        RangeClient.Backoff backoff = backoff();
        assertTrue(backoff.nextDelayInMillis(rateLimited(30)) <= 50);
    }
}
