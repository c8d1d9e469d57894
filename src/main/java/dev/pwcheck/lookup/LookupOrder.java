package dev.pwcheck.lookup;

import dev.pwcheck.format.CompactRange;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.hash.Sha1Hash;
import dev.pwcheck.mirror.service.Fallback;
import dev.pwcheck.mirror.service.Mirror;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.range.RangeCache;
import dev.pwcheck.range.RangeLookup;
import dev.pwcheck.range.Source;
import dev.pwcheck.upstream.DeadlineConfig;
import dev.pwcheck.upstream.UpstreamException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * The one place that decides where an answer comes from, and in which order: the offline mirror, then the cache and
 * the upstream (within the deadline), then a stale range, then the fallback store. The check endpoint asks it of a
 * hash, {@code /range} of a whole range; a new source or a change of order is made here, for both.
 */
@ApplicationScoped
public class LookupOrder {

    private static final Logger LOG = Logger.getLogger(LookupOrder.class);
    /** Stop waiting a little before the deadline, so that the answer, not just the decision, is out by then. */
    private static final Duration ANSWER_MARGIN = Duration.ofMillis(50);

    private final Mirror mirror;
    private final RangeCache ranges;
    private final Fallback fallback;
    private final Duration deadline;

    public LookupOrder(Mirror mirror, RangeCache ranges, Fallback fallback, DeadlineConfig config) {
        this.mirror = mirror;
        this.ranges = ranges;
        this.fallback = fallback;
        // Unless the deadline is so short that the margin would eat most of it.
        Duration configured = config.deadline();
        this.deadline = configured.compareTo(ANSWER_MARGIN.multipliedBy(2)) > 0 ? configured.minus(ANSWER_MARGIN) : configured;
    }

    /** What the sources say of {@code hash}. Never fails: when none can tell, {@link Source#NONE}. */
    public Uni<Sighting> sighting(Sha1Hash hash) {
        int mirrored = mirror.count(hash);
        if (mirrored >= 0) {
            return Uni.createFrom().item(new Sighting(mirrored, Source.MIRROR));
        }
        if (mirror.mirrorOnly()) {
            return Uni.createFrom().item(fallback(hash));
        }
        RangeLookup cached = ranges.cachedLookup(hash.prefix());
        if (cached != null) {
            return Uni.createFrom().item(sighting(hash, cached));
        }
        return ranges.lookup(hash.prefix())
                .map(lookup -> sighting(hash, lookup))
                // The fetch goes on without us (and fills the cache for the next check); this caller stops waiting.
                .ifNoItem().after(deadline).recoverWithItem(() -> {
                    RangeLookup stale = ranges.staleLookup(hash.prefix());
                    return stale == null ? fallback(hash) : sighting(hash, stale);
                })
                .onFailure().recoverWithItem(failure -> {
                    if (!(failure instanceof UpstreamException)) {
                        // Class name only: a message from code we do not own could carry anything.
                        LOG.errorf("Check failed unexpectedly (%s); answering unknown", failure.getClass().getName());
                    }
                    return fallback(hash);
                });
    }

    /**
     * No range could be had: the fallback store may still know the hash as breached. Anything else stays unknown,
     * never clean: the fallback holds only the most-seen hashes.
     */
    private Sighting fallback(Sha1Hash hash) {
        int count = fallback.count(hash);
        return count > 0 ? new Sighting(count, Source.FALLBACK) : Sighting.NONE;
    }

    private static Sighting sighting(Sha1Hash hash, RangeLookup lookup) {
        return new Sighting(lookup.range().count(hash.packedSuffix()), lookup.source());
    }

    /**
     * The whole range of {@code mode} for {@code prefix} (uppercase), from the mirror, else the cache and the upstream
     * (a stale range when the upstream fails). Fails with {@link RangeUnavailableException} when none can give it.
     */
    public Uni<RangeLookup> range(HashMode mode, String prefix) {
        CompactRange mirrored = mirror.range(mode, prefix);
        if (mirrored != null) {
            return Uni.createFrom().item(new RangeLookup(mirrored, Source.MIRROR));
        }
        if (mirror.mirrorOnly()) {
            return Uni.createFrom().failure(new RangeUnavailableException(whyNotMirrored(mirror.store(mode))));
        }
        return ranges.lookup(mode, prefix)
                .onFailure().transform(failure -> new RangeUnavailableException(whyUnavailable(failure)));
    }

    private static String whyNotMirrored(MirrorStore store) {
        if (store != null && store.kind() == StoreFormat.Kind.COMPACT) {
            return "the mirror store is compact (it keeps the first 64 bits of each hash) and cannot serve whole ranges";
        }
        if (store != null && store.kind() == StoreFormat.Kind.FILTER) {
            return "the mirror store is a filter (it keeps no hashes, only whether one may be in the corpus) and cannot serve ranges";
        }
        return "the mirror does not hold this range (yet)";
    }

    /** Says which of "could not reach" and "reached, but the answer was unusable" happened: they need different fixes. */
    public static String whyUnavailable(Throwable failure) {
        if (!(failure instanceof UpstreamException upstream)) {
            return "the range is not cached and the upstream gave no usable answer; try again shortly";
        }
        return switch (upstream.failureCause()) {
            case CONNECT, TIMEOUT -> "the range is not cached and the upstream cannot be reached; try again shortly";
            case CIRCUIT_OPEN, RECENT_FAILURE, BULKHEAD_FULL ->
                    "the range is not cached and the upstream is failing, so it is not being asked for now; try again shortly";
            default -> "the range is not cached and there was no usable answer from the upstream; try again shortly";
        };
    }
}
