package dev.pwcheck.range;

import dev.pwcheck.format.RangeValidator;
import dev.pwcheck.format.CompactRange;
import dev.pwcheck.format.HashMode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import dev.pwcheck.upstream.FailureCause;
import dev.pwcheck.upstream.RangeClient;
import dev.pwcheck.upstream.RangeFetch;
import dev.pwcheck.upstream.UpstreamException;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * Ranges by prefix, in front of the upstream. A fresh range answers from memory; a missing or expired one is
 * fetched once however many checks ask for it at the same time (single flight); an expired one whose refresh
 * fails is still served, marked stale, because an answer from yesterday's corpus beats "unknown". Only validated
 * ranges are stored: a failure is never cached as data, at most remembered for the negative TTL. With a shared
 * tier configured, a miss asks it before the upstream, and what the upstream gives is shared with the other replicas.
 * A range keeps the upstream's validator (ETag, Last-Modified): its refresh is a conditional request, and a 304
 * renews it without a body to read or parse. A range from an upstream that sent no validator is fetched whole.
 */
@Startup
@ApplicationScoped
public class RangeCache {

    /** Per-entry cost Caffeine and the key add on top of the range itself. */
    private static final int ENTRY_OVERHEAD_BYTES = 120;

    private final RangeClient upstream;
    private final Ticker ticker;
    private final long ttlNanos;
    private final long staleRetryNanos;
    private final long negativeTtlNanos;
    private final long maxStaleNanos;
    private final SharedRangeTier sharedTier;
    private final Cache<String, CachedRange> ranges;
    private final Cache<String, Boolean> recentFailures;
    private final ConcurrentHashMap<String, Uni<RangeLookup>> inflight = new ConcurrentHashMap<>();

    private final Counter hits;
    private final Counter misses;
    private final Counter staleServed;
    private final Counter evictions;
    private final Counter notModified;
    private final Timer loads;

    public RangeCache(RangeClient upstream, SharedRangeTier sharedTier, CacheConfig config, Ticker ticker, MeterRegistry registry) {
        this.upstream = upstream;
        this.sharedTier = sharedTier;
        this.maxStaleNanos = config.maxStale().toNanos();
        this.ticker = ticker;
        this.ttlNanos = config.ttl().toNanos();
        this.staleRetryNanos = config.staleRetryBackoff().toNanos();
        this.negativeTtlNanos = config.negativeTtl().toNanos();
        this.evictions = Counter.builder("pwcheck.cache.evictions")
                .description("Ranges dropped to stay within pwcheck.cache.max-bytes").register(registry);
        this.ranges = Caffeine.newBuilder()
                .ticker(ticker)
                .maximumWeight(config.maxBytes())
                .weigher((String prefix, CachedRange cached) -> cached.range.heapBytes() + ENTRY_OVERHEAD_BYTES)
                // Expired entries stay for stale-if-error, up to max-stale past their TTL.
                .expireAfterWrite(config.ttl().plus(config.maxStale()))
                .removalListener((String prefix, CachedRange cached, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        evictions.increment();
                    }
                })
                .executor(Runnable::run)
                .build();
        this.recentFailures = Caffeine.newBuilder()
                .ticker(ticker)
                .maximumSize(100_000)
                .expireAfterWrite(Math.max(1, negativeTtlNanos), TimeUnit.NANOSECONDS)
                .build();
        this.hits = Counter.builder("pwcheck.cache.hits").description("Checks answered from a fresh cached range").register(registry);
        this.misses = Counter.builder("pwcheck.cache.misses").description("Checks whose range was not cached or had expired").register(registry);
        this.staleServed = Counter.builder("pwcheck.cache.stale").description("Checks answered from an expired range because upstream failed").register(registry);
        this.notModified = Counter.builder("pwcheck.cache.revalidated")
                .description("Expired ranges renewed by the upstream's 304 Not Modified, without a body").register(registry);
        this.loads = Timer.builder("pwcheck.cache.load").description("Time to load a range into the cache from upstream").register(registry);
        rebindGauge(registry, "pwcheck.cache.entries", "Ranges cached", RangeCache::entries);
        rebindGauge(registry, "pwcheck.cache.bytes", "Heap held by cached ranges, as the byte bound counts it", RangeCache::weightedBytes);
    }

    /**
     * Micrometer keeps the first gauge registered under a name and ignores later ones, so a cache re-created in the
     * same registry (dev-mode live reload, test restarts) would go on reporting the old instance without this.
     */
    private void rebindGauge(MeterRegistry registry, String name, String description, ToDoubleFunction<RangeCache> value) {
        registry.find(name).gauges().forEach(registry::remove);
        Gauge.builder(name, this, value).description(description).strongReference(true).register(registry);
    }

    /**
     * The fast path: the SHA-1 range for {@code prefix} if it can be answered from memory right now (fresh, or stale
     * within the retry back-off), else null. Needs no subscription, so a cached check costs no reactive plumbing.
     */
    public RangeLookup cachedLookup(String prefix) {
        return cached(prefix);
    }

    private RangeLookup cached(String key) {
        CachedRange cached = ranges.getIfPresent(key);
        if (cached == null) {
            return null;
        }
        long now = ticker.read();
        if (now - cached.fetchedAt < ttlNanos) {
            hits.increment();
            return new RangeLookup(cached.range, Source.CACHE);
        }
        if (now - cached.retryNotBefore < 0) {
            staleServed.increment();
            return new RangeLookup(cached.range, Source.STALE);
        }
        return null;
    }

    /**
     * Any SHA-1 range held for {@code prefix}, however old (within max-stale), marked stale: the answer when a check's
     * deadline passes while its refresh is still under way.
     */
    public RangeLookup staleLookup(String prefix) {
        CachedRange cached = ranges.getIfPresent(prefix);
        if (cached == null) {
            return null;
        }
        staleServed.increment();
        return new RangeLookup(cached.range, Source.STALE);
    }

    /** @return the SHA-1 range for {@code prefix}, or a failure ({@link UpstreamException}) when none is usable */
    public Uni<RangeLookup> lookup(String prefix) {
        return lookup(HashMode.SHA1, prefix);
    }

    /** @return the range of {@code mode} for {@code prefix}, or a failure ({@link UpstreamException}) when none is usable */
    public Uni<RangeLookup> lookup(HashMode mode, String prefix) {
        String key = key(mode, prefix);
        RangeLookup ready = cached(key);
        if (ready != null) {
            return Uni.createFrom().item(ready);
        }
        misses.increment();
        if (negativeTtlNanos > 0 && recentFailures.getIfPresent(key) != null && ranges.getIfPresent(key) == null) {
            return Uni.createFrom().failure(new UpstreamException(FailureCause.RECENT_FAILURE, "upstream failed for this range moments ago"));
        }
        return inflight.computeIfAbsent(key, this::load);
    }

    /** SHA-1 ranges, the hot path, are keyed by the bare prefix; other corpora get a namespace of their own. */
    private static String key(HashMode mode, String prefix) {
        return mode == HashMode.SHA1 ? prefix : mode.wire() + ":" + prefix;
    }

    private static HashMode modeOf(String key) {
        return key.length() == 5 ? HashMode.SHA1 : HashMode.fromWire(key.substring(0, key.indexOf(':'))).orElseThrow();
    }

    private static String prefixOf(String key) {
        return key.substring(key.length() - 5);
    }

    private Uni<RangeLookup> load(String key) {
        AtomicReference<Uni<RangeLookup>> self = new AtomicReference<>();
        Uni<RangeLookup> flight = sharedTier.get(modeOf(key), prefixOf(key))
                .flatMap(fromShared -> {
                    if (fromShared != null && wallClockAgeNanos(fromShared) < ttlNanos) {
                        store(key, fromShared.range(), fromShared.validator(), ticker.read() - wallClockAgeNanos(fromShared));
                        return Uni.createFrom().item(new RangeLookup(fromShared.range(), Source.CACHE));
                    }
                    return fetch(key, fromShared);
                })
                .onTermination().invoke(() -> inflight.remove(key, self.get()))
                .memoize().indefinitely();
        self.set(flight);
        return flight;
    }

    private Uni<RangeLookup> fetch(String key, SharedRangeTier.SharedRange expiredShared) {
        long start = ticker.read();
        HashMode mode = modeOf(key);
        String prefix = prefixOf(key);
        // The range held (expired, here or in the shared tier) and its validator: the refresh asks whether it changed.
        CachedRange held = ranges.getIfPresent(key);
        CompactRange heldRange = held != null ? held.range : expiredShared != null ? expiredShared.range() : null;
        RangeValidator heldValidator = held != null ? held.validator : expiredShared != null ? expiredShared.validator() : RangeValidator.NONE;
        return upstream.fetch(mode, prefix, heldRange == null ? RangeValidator.NONE : heldValidator)
                .map(fetched -> {
                    loads.record(ticker.read() - start, TimeUnit.NANOSECONDS);
                    CompactRange range = fetched.notModified() ? heldRange : fetched.range();
                    if (fetched.notModified()) {
                        notModified.increment();
                    }
                    store(key, range, fetched.validator(), start);
                    sharedTier.put(mode, prefix, range, fetched.validator(), System.currentTimeMillis());
                    return new RangeLookup(range, Source.UPSTREAM);
                })
                .onFailure().recoverWithUni(failure -> staleOrFail(key, expiredShared, failure));
    }

    /** Caches {@code range} under {@code key} (a bare prefix for SHA-1) as fetched at ticker time {@code fetchedAt}. */
    CachedRange store(String key, CompactRange range, long fetchedAt) {
        return store(key, range, RangeValidator.NONE, fetchedAt);
    }

    private CachedRange store(String key, CompactRange range, RangeValidator validator, long fetchedAt) {
        CachedRange cached = new CachedRange(range, validator, fetchedAt);
        ranges.put(key, cached);
        return cached;
    }

    long now() {
        return ticker.read();
    }

    private static long wallClockAgeNanos(SharedRangeTier.SharedRange shared) {
        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, System.currentTimeMillis() - shared.fetchedAtMillis()));
    }

    private Uni<RangeLookup> staleOrFail(String key, SharedRangeTier.SharedRange expiredShared, Throwable failure) {
        CachedRange cached = ranges.getIfPresent(key);
        if (cached == null && expiredShared != null && wallClockAgeNanos(expiredShared) < ttlNanos + maxStaleNanos) {
            // Another replica fetched this range once; yesterday's answer beats "unknown" here too.
            cached = store(key, expiredShared.range(), expiredShared.validator(), ticker.read() - wallClockAgeNanos(expiredShared));
        }
        if (cached != null) {
            cached.retryNotBefore = ticker.read() + staleRetryNanos;
            staleServed.increment();
            return Uni.createFrom().item(new RangeLookup(cached.range, Source.STALE));
        }
        if (negativeTtlNanos > 0) {
            recentFailures.put(key, Boolean.TRUE);
        }
        return Uni.createFrom().failure(failure);
    }

    /** Drops every cached range (operations and tests). */
    public void invalidateAll() {
        ranges.invalidateAll();
        recentFailures.invalidateAll();
    }

    /** Heap charged to the cached ranges, as the byte bound counts it. */
    public long weightedBytes() {
        return ranges.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    /** Ranges being fetched right now (one flight per prefix, however many checks wait on it). */
    public int loadsInFlight() {
        return inflight.size();
    }

    public long entries() {
        return ranges.estimatedSize();
    }

    static final class CachedRange {
        final CompactRange range;
        final RangeValidator validator;
        final long fetchedAt;
        /** Ticker time before which a failed refresh is not retried; stale answers are served until then. */
        volatile long retryNotBefore;

        CachedRange(CompactRange range, RangeValidator validator, long fetchedAt) {
            this.range = range;
            this.validator = validator;
            this.fetchedAt = fetchedAt;
            this.retryNotBefore = fetchedAt;
        }
    }
}
