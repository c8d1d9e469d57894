package dev.pwcheck.mirror.service;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The daemon thread that looks for new store files on an interval (the mirror's and the fallback's). */
final class StoreWatch {

    private StoreWatch() {
    }

    static ScheduledExecutorService every(Duration interval, Runnable reload) {
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pwcheck-store-watch");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(100, interval.toMillis());
        watcher.scheduleWithFixedDelay(reload, every, every, TimeUnit.MILLISECONDS);
        return watcher;
    }
}
