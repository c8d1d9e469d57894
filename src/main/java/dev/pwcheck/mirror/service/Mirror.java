package dev.pwcheck.mirror.service;

import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.hash.Sha1Hash;
import dev.pwcheck.format.CompactRange;
import dev.pwcheck.format.HashMode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The stores the service answers from in mirror modes, one per corpus, each a {@link WatchedStore}: a store that
 * {@code mirror sync} or {@code mirror import} renames into place is swapped in without a restart, and one that fails
 * its checks is logged and left out while the one in service stays. Full, compact and filter stores answer checks;
 * only a full one can serve {@code /range}. A filter answers its misses as clean; its hits go to the upstream in
 * {@code mirror-then-upstream}, and are breached with the build threshold as the count in {@code mirror}.
 */
@Startup
@ApplicationScoped
public class Mirror {

    private final SourceConfig.RangeSourceMode source;
    private final Map<HashMode, WatchedStore> stores = new EnumMap<>(HashMode.class);
    private final ScheduledExecutorService watcher;
    /** The breach threshold of every flow (and of checks without one), by the key that sets it. */
    private final Map<String, Integer> thresholds;
    /** Why the store found at start-up cannot serve, when it cannot: the service then refuses to start. */
    private volatile String refusedAtStart;

    @jakarta.inject.Inject
    public Mirror(SourceConfig sourceConfig, MirrorConfig config, BreachThresholds thresholds, MeterRegistry registry) {
        this(sourceConfig, config, thresholds.byKey(), registry);
    }

    /** Outside the service (tools, benchmarks): no flow thresholds to hold a filter store to. */
    public Mirror(SourceConfig sourceConfig, MirrorConfig config, MeterRegistry registry) {
        this(sourceConfig, config, Map.of(), registry);
    }

    /** @param thresholds the breach threshold of each flow, by the key that sets it */
    Mirror(SourceConfig sourceConfig, MirrorConfig config, Map<String, Integer> thresholds, MeterRegistry registry) {
        this.source = sourceConfig.source();
        this.thresholds = thresholds;
        if (!source.usesMirror()) {
            this.watcher = null;
            return;
        }
        if (config.dir().isEmpty()) {
            throw new IllegalStateException("pwcheck.source=" + source.name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + " needs pwcheck.mirror.dir, the directory that mirror sync or mirror import writes");
        }
        for (HashMode mode : HashMode.values()) {
            String whenMissing = mode != HashMode.SHA1 ? null : source.usesUpstream()
                    ? "checks go to the upstream until one is written" : "checks answer unknown until one is written";
            // A top-N store says nothing of the hashes it lacks: as the mirror it would call breached passwords clean.
            stores.put(mode, new WatchedStore("mirror", config.dir().get(), mode, config.verifyOnLoad(), registry, this::refusal, whenMissing));
        }
        reload();
        if (refusedAtStart != null) {
            throw new IllegalStateException(refusedAtStart);
        }
        this.watcher = StoreWatch.every(config.reloadInterval(), this::reload);
    }

    /** Why {@code store} cannot be the mirror here, or null when it can. */
    private String refusal(MirrorStore store) {
        if (store.subset()) {
            return "holds only the most-seen hashes (mirror top): use it as pwcheck.fallback.dir, not as the mirror";
        }
        if (store.kind() == StoreFormat.Kind.FILTER) {
            // A filter's miss is "clean" in either mode, and it lacks every hash seen fewer than its build threshold
            // times: a flow acting on fewer sightings would be told clean of passwords it must refuse.
            for (Map.Entry<String, Integer> threshold : thresholds.entrySet()) {
                if (threshold.getValue() < store.minCount()) {
                    String why = "is a filter built with --min-count " + store.minCount() + ", above " + threshold.getKey() + "="
                            + threshold.getValue() + ": it answers clean for passwords seen fewer than " + store.minCount()
                            + " times, which that flow must act on; rebuild it with --min-count " + threshold.getValue()
                            + " or raise the flow's threshold";
                    return refuse(store, why);
                }
            }
        }
        if (store.kind() == StoreFormat.Kind.FILTER && !source.usesUpstream()) {
            // In mirror mode a filter's hit is the answer, with its build threshold as the count: a flow asking for
            // more than that would be told breached on a guess.
            for (Map.Entry<String, Integer> threshold : thresholds.entrySet()) {
                if (threshold.getValue() > store.minCount()) {
                    String why = "is a filter built with --min-count " + store.minCount() + ", below " + threshold.getKey() + "="
                            + threshold.getValue() + ": in pwcheck.source=mirror it cannot tell that flow's breached from clean;"
                            + " rebuild it with --min-count " + threshold.getValue() + " or lower the flow's threshold";
                    return refuse(store, why);
                }
            }
        }
        return null;
    }

    /** A store refused while the service starts stops the start; later, the store in service stays. */
    private String refuse(MirrorStore store, String why) {
        if (refusedAtStart == null && watcher == null) {
            refusedAtStart = store.file() + " " + why;
        }
        return why;
    }

    /** Opens any store that changed on disk since the last look. Safe to call at any time. */
    public void reload() {
        stores.values().forEach(WatchedStore::reload);
    }

    public boolean mirrorOnly() {
        return !source.usesUpstream();
    }

    public boolean enabled() {
        return source.usesMirror();
    }

    public MirrorStore store(HashMode mode) {
        WatchedStore watched = stores.get(mode);
        return watched == null ? null : watched.current();
    }

    /** Times the hash was seen according to the mirror, or -1 when the mirror is off or lacks its range. */
    public int count(Sha1Hash hash) {
        MirrorStore store = source.usesMirror() ? store(HashMode.SHA1) : null;
        if (store == null) {
            return -1;
        }
        int prefix = Integer.parseInt(hash.prefix(), 16);
        if (!store.holds(prefix)) {
            return -1;
        }
        int count = store.count(prefix, hash.packedSuffix());
        // A filter's miss is certain: clean at once, and not even the prefix leaves the process. Its hit may be wrong
        // (once in 65,536) and has no count: with an upstream, the cache and the upstream give the exact answer.
        return store.kind() == StoreFormat.Kind.FILTER && count > 0 && source.usesUpstream() ? -1 : count;
    }

    /** The range from the mirror, or null when the mirror is off or lacks it (or is compact: it keeps no whole suffixes). */
    public CompactRange range(HashMode mode, String prefix) {
        MirrorStore store = source.usesMirror() ? store(mode) : null;
        return store == null ? null : store.range(Integer.parseInt(prefix, 16));
    }

    @PreDestroy
    void stop() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
