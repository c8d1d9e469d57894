package dev.pwcheck.support;

import com.github.benmanes.caffeine.cache.Ticker;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Replaces the system ticker in tests: real time plus whatever a test has skipped ahead, so TTLs need no sleeps. */
@Singleton
public class AdjustableTicker implements Ticker {

    private final AtomicLong skipped = new AtomicLong();

    @Override
    public long read() {
        return System.nanoTime() + skipped.get();
    }

    public void advance(Duration by) {
        skipped.addAndGet(by.toNanos());
    }
}
