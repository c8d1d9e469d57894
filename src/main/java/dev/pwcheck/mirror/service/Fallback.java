package dev.pwcheck.mirror.service;

import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.hash.Sha1Hash;
import dev.pwcheck.format.HashMode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ScheduledExecutorService;

/**
 * Answers for the most-seen hashes when a check would otherwise be {@code unknown} (the upstream failed or its
 * breaker is open, and nothing is cached): rubygems.org's registration check does the same with its list of a million
 * common passwords, here with real counts. It only ever says "breached": a hash it does not hold is still unknown,
 * never clean, because it holds a small part of the corpus.
 */
@Startup
@ApplicationScoped
public class Fallback {

    private final WatchedStore store;
    private final ScheduledExecutorService watcher;

    public Fallback(FallbackConfig config, MirrorConfig mirrorConfig, MeterRegistry registry) {
        if (config.dir().isEmpty()) {
            this.store = null;
            this.watcher = null;
            return;
        }
        this.store = new WatchedStore("fallback", config.dir().get(), HashMode.SHA1, mirrorConfig.verifyOnLoad(), registry,
                // A filter's hits are wrong once in 65,536: during an outage that would call clean passwords breached.
                found -> found.kind() == StoreFormat.Kind.FILTER ? "is a filter (it may hold what it does not): use mirror top for the fallback" : null,
                "checks the upstream cannot answer stay unknown until one is written (mirror top)");
        store.reload();
        this.watcher = StoreWatch.every(mirrorConfig.reloadInterval(), store::reload);
    }

    /** Times the hash was seen according to the fallback store, 0 when it does not hold it (or there is none). */
    public int count(Sha1Hash hash) {
        MirrorStore current = store == null ? null : store.current();
        return current == null ? 0 : current.count(Integer.parseInt(hash.prefix(), 16), hash.packedSuffix());
    }

    /** Looks for a new store file now (the watcher does it on its interval). */
    public void reload() {
        if (store != null) {
            store.reload();
        }
    }

    @PreDestroy
    void stop() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
