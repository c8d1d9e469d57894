package dev.pwcheck.mirror;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress line for long mirror jobs: done/total, percentage, rate and ETA. On a terminal it redraws one line;
 * into a log or a pipe it prints a plain line every few seconds instead of filling the file with redraws.
 */
public final class Progress {

    private static final int BAR = 30;

    private final String unit;
    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private long alreadyDone;
    private long lastPrintNanos;

    public Progress(String unit, long total, PrintStream out, boolean terminal) {
        this.unit = unit;
        this.total = total;
        this.out = out;
        this.terminal = terminal;
    }

    /** Counts work found done by an earlier run: it shows in the total but not in this run's rate. */
    public void resumedWith(long count) {
        alreadyDone = count;
        done.set(count);
    }

    public void advance(long count) {
        done.addAndGet(count);
    }

    /** Prints if due (every 250 ms on a terminal, 5 s otherwise); call it from one thread. */
    public void tick() {
        long now = System.nanoTime();
        long every = terminal ? 250_000_000L : 5_000_000_000L;
        if (now - lastPrintNanos >= every) {
            lastPrintNanos = now;
            print(false);
        }
    }

    public void finish() {
        print(true);
    }

    String line() {
        long current = done.get();
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        double rate = (current - alreadyDone) / seconds;
        // Clamped: a count past its total (work counted twice) must not turn a progress line into a failed job.
        double fraction = total == 0 ? 1 : Math.max(0, Math.min(1, (double) current / total));
        int filled = (int) Math.round(fraction * BAR);
        String eta = rate > 0 ? format(Duration.ofSeconds((long) (Math.max(0, total - current) / rate))) : "--";
        return String.format(Locale.ROOT, "[%s%s] %5.1f%%  %,d/%,d %s  %,.0f %s/s  ETA %s",
                "#".repeat(filled), ".".repeat(BAR - filled), fraction * 100, current, total, unit, rate, unit, eta);
    }

    private void print(boolean last) {
        if (terminal) {
            out.print("\r" + line() + (last ? System.lineSeparator() : ""));
        } else {
            out.println(line());
        }
        out.flush();
    }

    private static String format(Duration d) {
        long s = d.getSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
