package dev.pwcheck.monitoring;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Says when a recurring warning is due again: an outage fails every uncached check, and one log line per
 * interval tells an operator as much as thousands would (the metrics carry the full count).
 */
public final class ThrottledWarning {

    private final long intervalNanos;
    private final AtomicLong last;

    public ThrottledWarning(Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.last = new AtomicLong(System.nanoTime() - intervalNanos);
    }

    /** True at most once per interval, across threads. */
    public boolean due() {
        long now = System.nanoTime();
        long previous = last.get();
        return now - previous >= intervalNanos && last.compareAndSet(previous, now);
    }
}
