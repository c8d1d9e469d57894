package dev.pwcheck.mirror;

import dev.pwcheck.hash.Sha1Hash;
import dev.pwcheck.range.CompactRange;
import dev.pwcheck.range.HashMode;
import dev.pwcheck.range.RangeLookup;
import dev.pwcheck.range.Source;
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
 * its checks is logged and left out while the one in service stays. Full and compact stores both answer checks;
 * only a full one can serve {@code /range}.
 */
@Startup
@ApplicationScoped
public class Mirror {

    private final SourceConfig.RangeSourceMode source;
    private final Map<HashMode, WatchedStore> stores = new EnumMap<>(HashMode.class);
    private final ScheduledExecutorService watcher;

    public Mirror(SourceConfig sourceConfig, MirrorConfig config, MeterRegistry registry) {
        this.source = sourceConfig.source();
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
            stores.put(mode, new WatchedStore("mirror", config.dir().get(), mode, config.verifyOnLoad(), registry,
                    store -> store.subset() ? "holds only the most-seen hashes (mirror top): use it as pwcheck.fallback.dir, not as the mirror" : null,
                    whenMissing));
        }
        reload();
        this.watcher = StoreWatch.every(config.reloadInterval(), this::reload);
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
        return store.holds(prefix) ? store.count(prefix, hash.packedSuffix()) : -1;
    }

    /** The range from the mirror, or null when the mirror is off or lacks it (or is compact: it keeps no whole suffixes). */
    public RangeLookup lookup(HashMode mode, String prefix) {
        MirrorStore store = source.usesMirror() ? store(mode) : null;
        CompactRange range = store == null ? null : store.range(Integer.parseInt(prefix, 16));
        return range == null ? null : new RangeLookup(range, Source.MIRROR);
    }

    @PreDestroy
    void stop() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
