package dev.pwcheck.mirror.service;

import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreException;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.format.HashMode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * One store file the service answers from (the mirror's, or the fallback's), watched for replacement: a file that
 * {@code mirror sync|import|top} renames into place is opened, checked and swapped in for the next lookup, while
 * lookups under way finish on the old one. A file that fails its checks, or that {@code refusal} turns away, is
 * logged and counted, and the store in service stays.
 *
 * <p>Metrics, under {@code pwcheck.<role>.}: {@code loads{mode,outcome}}, {@code hashes{mode}} and
 * {@code store.created{mode}} (when the store in service was built, in seconds since the epoch; 0 with none).
 */
public final class WatchedStore {

    private static final Logger LOG = Logger.getLogger(WatchedStore.class);

    private final String role;
    private final Path file;
    private final HashMode mode;
    private final boolean verify;
    private final MeterRegistry registry;
    /** Why a store that passed its checks still cannot serve here, or null when it can. */
    private final Function<MirrorStore, String> refusal;
    private final String whenMissing;
    private volatile MirrorStore current;
    private Object rejected;

    WatchedStore(String role, Path dir, HashMode mode, boolean verify, MeterRegistry registry, Function<MirrorStore, String> refusal,
            String whenMissing) {
        this.role = role;
        this.file = dir.resolve(StoreFormat.fileName(mode));
        this.mode = mode;
        this.verify = verify;
        this.registry = registry;
        this.refusal = refusal;
        this.whenMissing = whenMissing;
        String prefix = "pwcheck." + role + ".";
        registry.find(prefix + "hashes").tag("mode", mode.wire()).gauges().forEach(registry::remove);
        registry.find(prefix + "store.created").tag("mode", mode.wire()).gauges().forEach(registry::remove);
        Gauge.builder(prefix + "hashes", this, watched -> watched.current == null ? 0 : watched.current.hashes())
                .tag("mode", mode.wire()).description("Hashes in the " + role + " store in service").strongReference(true).register(registry);
        Gauge.builder(prefix + "store.created", this, watched -> watched.current == null ? 0 : watched.current.createdAt().getEpochSecond())
                .tag("mode", mode.wire()).baseUnit("seconds").description("When the " + role + " store in service was built (Unix time)")
                .strongReference(true).register(registry);
    }

    MirrorStore current() {
        return current;
    }

    /** Opens the file if it changed on disk since the last look. */
    synchronized void reload() {
        Object identity;
        try {
            identity = MirrorStore.identityOf(file);
        } catch (NoSuchFileException e) {
            if (current == null && rejected == null && whenMissing != null) {
                LOG.warnf("No %s store at %s yet; %s", role, file, whenMissing);
                rejected = "missing";
            }
            return;
        } catch (IOException e) {
            LOG.errorf("Cannot read %s: %s", file, e.getMessage());
            return;
        }
        if ((current != null && Objects.equals(current.identity(), identity)) || Objects.equals(rejected, identity)) {
            return;
        }
        try {
            long start = System.nanoTime();
            MirrorStore fresh = MirrorStore.open(file, verify);
            if (fresh.mode() != mode) {
                throw new StoreException(file + " holds the " + fresh.mode().wire() + " corpus, not " + mode.wire());
            }
            String refused = refusal.apply(fresh);
            if (refused != null) {
                throw new StoreException(file + " " + refused);
            }
            MirrorStore previous = current;
            current = fresh;
            rejected = null;
            registry.counter("pwcheck." + role + ".loads", "mode", mode.wire(), "outcome", "loaded").increment();
            LOG.infof("%s store %s in service: %,d %s hashes (%s%s) in %,d ranges, built %s (opened in %d ms)%s",
                    role.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + role.substring(1), file, fresh.hashes(), mode.wire(),
                    fresh.kind().wire(), fresh.subset() ? ", top hashes only" : "", fresh.presentRanges(), fresh.createdAt(),
                    (System.nanoTime() - start) / 1_000_000, previous == null ? "" : "; it replaces the one built " + previous.createdAt());
        } catch (StoreException e) {
            rejected = identity;
            registry.counter("pwcheck." + role + ".loads", "mode", mode.wire(), "outcome", "rejected").increment();
            LOG.errorf("%s store refused, %s: %s", role, current == null ? "none in service" : "the previous one stays in service", e.getMessage());
        }
    }
}
