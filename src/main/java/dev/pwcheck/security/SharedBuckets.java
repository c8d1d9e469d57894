package dev.pwcheck.security;

import dev.pwcheck.monitoring.ThrottledWarning;
import dev.pwcheck.redis.RedisCommands;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The token buckets every replica shares ({@code pwcheck.rate-limit.shared=redis}), kept in the shared tier's Redis
 * by Bucket4j, so that N replicas together admit one budget per client instead of N. Redis is never a dependency:
 * when a decision fails or takes longer than {@code shared-timeout}, {@link #take} answers "not decided" and the
 * replica limits with its own buckets; from then on one request every {@code shared-retry} tries Redis again (the
 * others decide locally at once), and its success brings the shared buckets back. So an outage costs one timeout per
 * replica per retry interval, never every request's latency, and never leaves the service unlimited or refusing
 * everyone. Which buckets are in use shows in {@code pwcheck_rate_limit_shared} and the health check.
 *
 * <p>Each bucket's proxy is kept while the bucket is in use, with Bucket4j's batching: requests for one bucket that
 * arrive while a decision for it is on its way to Redis go together in the next one. Without it a hot bucket (a
 * registry's one caller key, one address under load) had every request race every other in compare-and-swap
 * retries, and 32 connections of load on one replica overran the Redis client's pool (measured: see
 * docs/benchmarks.md). Batching changes no decision: the tokens are taken in Redis, one by one, as before.
 */
@Startup // a shared setting without a Redis stops the start, instead of failing every limited request
@ApplicationScoped
public class SharedBuckets {

    private static final Logger LOG = Logger.getLogger(SharedBuckets.class);
    private static final String KEY_PREFIX = "pwcheck:rate:";

    private final AsyncProxyManager<String> buckets;
    private final Duration timeout;
    private final long retryNanos;
    private final BucketConfiguration perIp;
    private final BucketConfiguration perCaller;
    private final Cache<String, AsyncBucketProxy> proxies;
    private final Counter fallbacks;
    private final ThrottledWarning warning = new ThrottledWarning(Duration.ofMinutes(1));
    /** Whether the last decision Redis gave, or failed to give, reached it. */
    private volatile boolean reachable = true;
    /** While unreachable: System.nanoTime() from which the next request may try Redis again. */
    private final AtomicLong nextProbe = new AtomicLong();
    private volatile String lastFailure;

    SharedBuckets(RateLimitConfig config, Instance<ReactiveRedisDataSource> redis, MeterRegistry registry) {
        boolean shared = config.enabled() && config.shared() == RateLimitConfig.Shared.REDIS;
        // Kept in Redis until refilled, and a little longer: a bucket back at full is the same as no bucket.
        this.buckets = shared ? new RedisBucketStore(client(redis),
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10))).asAsync() : null;
        this.timeout = config.sharedTimeout();
        this.retryNanos = config.sharedRetry().toNanos();
        this.perIp = bucket(config.perIpRate(), config.perIpBurst());
        this.perCaller = bucket(config.perCallerRate(), config.perCallerBurst());
        this.proxies = Caffeine.newBuilder().maximumSize(config.maxTrackedIps()).expireAfterAccess(Duration.ofMinutes(1))
                .executor(Runnable::run).build();
        this.fallbacks = Counter.builder("pwcheck.rate.limit.shared.fallbacks")
                .description("Requests limited by the replica's own buckets because the shared ones (Redis) failed or were slow")
                .register(registry);
        if (shared) {
            Gauge.builder("pwcheck.rate.limit.shared", this, b -> b.inUse() ? 1 : 0)
                    .description("1 while the rate limits are the shared buckets in Redis, 0 while this replica falls back to its own")
                    .register(registry);
        }
    }

    private static RedisCommands client(Instance<ReactiveRedisDataSource> redis) {
        try {
            return RedisCommands.of(redis.get());
        } catch (RuntimeException e) {
            throw new IllegalStateException("pwcheck.rate-limit.shared=redis needs the shared tier's Redis: set quarkus.redis.hosts"
                    + " (and quarkus.redis.password)", e);
        }
    }

    private static BucketConfiguration bucket(int rate, int burst) {
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(rate, Duration.ofSeconds(1)))
                .build();
    }

    /** Whether the limits are shared at all ({@code pwcheck.rate-limit.shared=redis}). */
    public boolean enabled() {
        return buckets != null;
    }

    /** Whether the shared buckets decide now (false while falling back to the local ones, or when not shared). */
    public boolean inUse() {
        return buckets != null && reachable;
    }

    /** Why the replica last fell back, for the health check; null when it never did. */
    String lastFailure() {
        return lastFailure;
    }

    /**
     * Takes a token from the shared bucket of {@code scope:id}.
     *
     * @return 0 when taken, the nanoseconds until one will be there, or null when the shared buckets cannot decide
     *     (not shared, falling back, or Redis failed now): the caller then uses its local bucket
     */
    Uni<Long> take(String scope, String id) {
        if (buckets == null) {
            return Uni.createFrom().nullItem();
        }
        if (!reachable && !probeDue()) {
            fallbacks.increment();
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().completionStage(() -> proxies.get(KEY_PREFIX + scope + ":" + id, key -> proxy(scope, key))
                        .tryConsumeAndReturnRemaining(1))
                .ifNoItem().after(timeout).fail()
                .map(probe -> {
                    recovered();
                    return probe.isConsumed() ? 0L : Math.max(1L, probe.getNanosToWaitForRefill());
                })
                .onFailure().recoverWithItem(failure -> {
                    fellBack(failure);
                    return null;
                });
    }

    /** True for one request a retry interval while Redis is unreachable: the one that tries it again. */
    private boolean probeDue() {
        long now = System.nanoTime();
        long due = nextProbe.get();
        return now - due >= 0 && nextProbe.compareAndSet(due, now + retryNanos);
    }

    private AsyncBucketProxy proxy(String scope, String key) {
        BucketConfiguration configuration = scope.equals("caller") ? perCaller : perIp;
        // A bucket in Redis keeps the configuration it was made with; a hot one never expires. Its version (the
        // limit itself) makes a replica with a changed rate or burst replace it, keeping the tokens in proportion.
        long version = Integer.toUnsignedLong(Objects.hash(configuration.getBandwidths()[0].getCapacity(),
                configuration.getBandwidths()[0].getRefillTokens(), configuration.getBandwidths()[0].getRefillPeriodNanos()));
        return buckets.builder().withOptimization(Optimizations.batching())
                .withImplicitConfigurationReplacement(version, TokensInheritanceStrategy.PROPORTIONALLY)
                .build(key, () -> CompletableFuture.completedFuture(configuration));
    }

    private void recovered() {
        if (!reachable) {
            reachable = true;
            LOG.info("Shared rate limits reached again: the replicas share one budget per client");
        }
    }

    private void fellBack(Throwable failure) {
        fallbacks.increment();
        lastFailure = failure.getClass().getSimpleName();
        nextProbe.set(System.nanoTime() + retryNanos);
        reachable = false;
        if (warning.due()) {
            LOG.warnf("Shared rate limits unreachable in Redis (%s): each replica limits with its own buckets, trying Redis again every %d s",
                    lastFailure, retryNanos / 1_000_000_000L);
        }
    }
}
