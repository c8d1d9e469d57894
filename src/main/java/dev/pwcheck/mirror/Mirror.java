package dev.pwcheck.mirror;

import dev.pwcheck.hash.Sha1Hash;
import dev.pwcheck.range.CompactRange;
import dev.pwcheck.range.HashMode;
import dev.pwcheck.range.RangeLookup;
import dev.pwcheck.range.Source;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The stores the service answers from in mirror modes, one per corpus. The directory is watched: a store that
 * {@code mirror sync} or {@code mirror import} renames into place is opened, checked, and swapped in for the next
 * lookup, while lookups already under way finish on the old one. A store that fails its checks is logged and left
 * out; the one in service stays.
 */
@Startup
@ApplicationScoped
public class Mirror {

    private static final Logger LOG = Logger.getLogger(Mirror.class);

    private final SourceConfig.RangeSourceMode source;
    private final MirrorConfig config;
    /** Replaced whole on a swap, never changed in place: lookups read it without a lock. */
    private volatile Map<HashMode, MirrorStore> stores = new EnumMap<>(HashMode.class);
    private final Map<HashMode, Object> rejected = new EnumMap<>(HashMode.class);
    private final ScheduledExecutorService watcher;
    private final MeterRegistry registry;

    public Mirror(SourceConfig sourceConfig, MirrorConfig config, MeterRegistry registry) {
        this.source = sourceConfig.source();
        this.config = config;
        this.registry = registry;
        if (!source.usesMirror()) {
            this.watcher = null;
            return;
        }
        if (config.dir().isEmpty()) {
            throw new IllegalStateException("pwcheck.source=" + source.name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + " needs pwcheck.mirror.dir, the directory that mirror sync or mirror import writes");
        }
        for (HashMode mode : HashMode.values()) {
            registry.find("pwcheck.mirror.hashes").tag("mode", mode.wire()).gauges().forEach(registry::remove);
            Gauge.builder("pwcheck.mirror.hashes", this, mirror -> {
                MirrorStore store = mirror.store(mode);
                return store == null ? 0 : store.hashes();
            }).tag("mode", mode.wire()).description("Hashes in the mirror store in service").strongReference(true).register(registry);
        }
        reload();
        this.watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pwcheck-mirror-watch");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(100, config.reloadInterval().toMillis());
        watcher.scheduleWithFixedDelay(this::reload, every, every, TimeUnit.MILLISECONDS);
    }

    /** Opens any store that changed on disk since the last look. Safe to call at any time. */
    public synchronized void reload() {
        for (HashMode mode : HashMode.values()) {
            Path file = config.dir().orElseThrow().resolve(StoreFormat.fileName(mode));
            Object identity;
            try {
                identity = MirrorStore.identityOf(file);
            } catch (NoSuchFileException e) {
                if (mode == HashMode.SHA1 && stores.get(mode) == null && !rejected.containsKey(mode)) {
                    LOG.warnf("No mirror store at %s yet; %s", file, source.usesUpstream()
                            ? "checks go to the upstream until one is written" : "checks answer unknown until one is written");
                    rejected.put(mode, "missing");
                }
                continue;
            } catch (IOException e) {
                LOG.errorf("Cannot read %s: %s", file, e.getMessage());
                continue;
            }
            MirrorStore current = stores.get(mode);
            if ((current != null && Objects.equals(current.identity(), identity)) || Objects.equals(rejected.get(mode), identity)) {
                continue;
            }
            try {
                long start = System.nanoTime();
                MirrorStore fresh = MirrorStore.open(file, config.verifyOnLoad());
                if (fresh.mode() != mode) {
                    throw new StoreException(file + " holds the " + fresh.mode().wire() + " corpus, not " + mode.wire());
                }
                Map<HashMode, MirrorStore> swapped = new EnumMap<>(HashMode.class);
                swapped.putAll(stores);
                swapped.put(mode, fresh);
                stores = swapped;
                rejected.remove(mode);
                registry.counter("pwcheck.mirror.loads", "mode", mode.wire(), "outcome", "loaded").increment();
                LOG.infof("Mirror store %s in service: %,d %s hashes in %,d ranges, built %s (opened in %d ms)", file,
                        fresh.hashes(), mode.wire(), fresh.presentRanges(), fresh.createdAt(), (System.nanoTime() - start) / 1_000_000);
            } catch (StoreException e) {
                rejected.put(mode, identity);
                registry.counter("pwcheck.mirror.loads", "mode", mode.wire(), "outcome", "rejected").increment();
                LOG.errorf("Mirror store refused, %s: %s", current == null ? "none in service" : "the previous one stays in service", e.getMessage());
            }
        }
    }

    public boolean mirrorOnly() {
        return !source.usesUpstream();
    }

    public boolean enabled() {
        return source.usesMirror();
    }

    public MirrorStore store(HashMode mode) {
        return stores.get(mode);
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

    /** The range from the mirror, or null when the mirror is off or lacks it. */
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
