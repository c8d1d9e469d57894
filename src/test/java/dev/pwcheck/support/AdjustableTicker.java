package dev.pwcheck.support;

import com.github.benmanes.caffeine.cache.Ticker;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replaces the system ticker in tests: a clock that moves only when a test moves it, so TTLs, back-offs and token
 * buckets need no sleeps, and a slow or busy machine cannot refill a bucket or expire a range behind a test's back.
 */
@Singleton
public class AdjustableTicker implements Ticker {

    // Far from zero so that "now minus a duration" never goes negative in the code under test.
    private final AtomicLong now = new AtomicLong(Duration.ofDays(365).toNanos());

    @Override
    public long read() {
        return now.get();
    }

    public void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }
}
