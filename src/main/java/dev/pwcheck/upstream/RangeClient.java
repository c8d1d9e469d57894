package dev.pwcheck.upstream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.TypedGuard;
import dev.pwcheck.format.CompactRange;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.format.RangeParser;
import dev.pwcheck.format.RangeValidator;
import dev.pwcheck.monitoring.ThrottledWarning;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Fetches one range from the upstream and turns whatever comes back into either a validated {@link CompactRange}
 * (or, to a conditional request, word that the range held is still current) or an {@link UpstreamException} naming
 * the cause. {@link UpstreamHttp} carries the requests; nothing else in the service sees HTTP.
 *
 * <p>Every fetch goes through a SmallRye Fault Tolerance guard built from {@code pwcheck.upstream.*}: retry of
 * transient failures with jittered back-off (honouring Retry-After up to a cap) within the check deadline, a
 * circuit breaker that stops asking a failing upstream, and a bulkhead capping requests in flight; each attempt
 * has its own timeout. There is deliberately no fallback here: the cache decides between stale and unknown, and a
 * fallback answer must never be cached as if it were data.
 */
@Startup // publishes its meters before the first fetch, so a scrape always sees every failure cause
@ApplicationScoped
public class RangeClient {

    private static final Logger LOG = Logger.getLogger(RangeClient.class);
    /** Histogram buckets: enough for p50/p99 around a 2 s budget without a hundred series per outcome. */
    private static final Duration[] SLO_BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2000, 5000)
            .map(Duration::ofMillis).toArray(Duration[]::new);
    /** The name the breaker is known by to {@code CircuitBreakerMaintenance}. */
    public static final String BREAKER = "hibp-upstream";

    private final UpstreamHttp http;
    private final UpstreamConfig config;
    private final Map<HashMode, RangeParser> parsers = new EnumMap<>(HashMode.class);
    private final TypedGuard<Uni<RangeFetch>> guard;
    private final Timer successTimer;
    private final Timer failureTimer;
    private final Counter retries;
    private final Map<FailureCause, Counter> failures = new EnumMap<>(FailureCause.class);
    private final Map<CircuitBreakerState, Counter> transitions = new EnumMap<>(CircuitBreakerState.class);
    private final AtomicReference<CircuitBreakerState> breakerState = new AtomicReference<>(CircuitBreakerState.CLOSED);
    private final ThrottledWarning failureWarning = new ThrottledWarning(Duration.ofSeconds(10));

    RangeClient(UpstreamHttp http, UpstreamConfig config, DeadlineConfig deadline,
            MeterRegistry registry) {
        this.http = http;
        this.config = config;
        for (HashMode mode : HashMode.values()) {
            parsers.put(mode, new RangeParser(mode, config.maxBodyBytes(), config.maxLines()));
        }
        this.successTimer = requestTimer(registry, "success");
        this.failureTimer = requestTimer(registry, "failure");
        this.retries = Counter.builder("pwcheck.upstream.retries").description("Upstream requests retried after a transient failure")
                .register(registry);
        for (FailureCause cause : FailureCause.values()) {
            failures.put(cause, Counter.builder("pwcheck.upstream.failures")
                    .description("Upstream range requests that gave no usable range, by cause")
                    .tag("cause", cause.tag())
                    .register(registry));
        }
        for (CircuitBreakerState state : CircuitBreakerState.values()) {
            transitions.put(state, Counter.builder("pwcheck.upstream.circuit.transitions")
                    .description("Circuit breaker state changes, by the state entered")
                    .tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry));
        }
        registry.find("pwcheck.upstream.circuit.state").gauges().forEach(registry::remove);
        Gauge.builder("pwcheck.upstream.circuit.state", breakerState, s -> s.get().ordinal())
                .description("Circuit breaker state: 0 closed, 1 open, 2 half-open").strongReference(true).register(registry);
        this.guard = buildGuard(config, deadline.deadline());
    }

    private TypedGuard<Uni<RangeFetch>> buildGuard(UpstreamConfig config, Duration deadline) {
        UpstreamConfig.Retry retry = config.retry();
        UpstreamConfig.CircuitBreaker breaker = config.circuitBreaker();
        return TypedGuard.create(new TypeLiteral<Uni<RangeFetch>>() {
        })
                .withDescription("HIBP range fetch")
                .withRetry()
                .maxRetries(retry.maxRetries())
                .delay(retry.delay().toMillis(), ChronoUnit.MILLIS)
                .jitter(0, ChronoUnit.MILLIS) // our back-off draws its own jitter
                .maxDuration(deadline.toMillis(), ChronoUnit.MILLIS)
                .whenException(this::isTransient)
                .withCustomBackoff().strategy(() -> new Backoff(retry.maxDelay(), retry.retryAfterCap())).done()
                .onRetry(retries::increment)
                .done()
                .withCircuitBreaker()
                .name(BREAKER)
                .requestVolumeThreshold(breaker.requestVolumeThreshold())
                .failureRatio(breaker.failureRatio())
                .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(breaker.successThreshold())
                .onStateChange(this::breakerChanged)
                .done()
                .withBulkhead().limit(config.bulkhead().limit()).queueSize(config.bulkhead().queue()).done()
                .withThreadOffload(false)
                .build();
    }

    private static Timer requestTimer(MeterRegistry registry, String outcome) {
        return Timer.builder("pwcheck.upstream.requests")
                .description("Upstream range requests (each attempt), by outcome")
                .tag("outcome", outcome)
                .serviceLevelObjectives(SLO_BUCKETS)
                .register(registry);
    }

    /** @return the range for {@code prefix} (5 uppercase hex), or a failure that is always an {@link UpstreamException} */
    public Uni<CompactRange> fetch(HashMode mode, String prefix) {
        return fetch(mode, prefix, RangeValidator.NONE).map(RangeFetch::range);
    }

    /**
     * Fetches the range, conditionally when {@code held} is the validator of a range the caller already has: then a
     * {@link RangeFetch#notModified()} answer means that range is still current.
     */
    public Uni<RangeFetch> fetch(HashMode mode, String prefix, RangeValidator held) {
        return Uni.createFrom().deferred(() -> guard.get(() -> attempt(mode, prefix, held)))
                .onFailure().transform(failure -> {
                    UpstreamException upstream = UpstreamException.classify(failure);
                    // Attempts count their own failures; these causes never reached an attempt.
                    if (upstream.failureCause() == FailureCause.CIRCUIT_OPEN || upstream.failureCause() == FailureCause.BULKHEAD_FULL) {
                        counted(upstream);
                    }
                    return upstream;
                });
    }

    public CircuitBreakerState breakerState() {
        return breakerState.get();
    }

    /** One HTTP exchange, classified and measured. */
    private Uni<RangeFetch> attempt(HashMode mode, String prefix, RangeValidator held) {
        long start = System.nanoTime();
        RangeParser parser = parsers.get(mode);
        return http.range(mode, prefix, held)
                // The per-attempt timeout lives here rather than in the guard: failing the Uni cancels the HTTP
                // exchange, which frees its connection and bulkhead slot at once.
                .ifNoItem().after(config.timeout())
                .failWith(() -> new UpstreamException(FailureCause.TIMEOUT, "upstream did not answer within " + config.timeout()))
                .map(answer -> answer.notModified() ? RangeFetch.notModified(answer.validator())
                        : RangeFetch.changed(parser.parse(answer.bytes(), answer.length()), answer.validator()))
                .onFailure().transform(UpstreamException::classify)
                .onItemOrFailure().invoke((range, failure) -> {
                    long elapsed = System.nanoTime() - start;
                    if (failure == null) {
                        successTimer.record(elapsed, TimeUnit.NANOSECONDS);
                    } else {
                        failureTimer.record(elapsed, TimeUnit.NANOSECONDS);
                        counted((UpstreamException) failure);
                    }
                });
    }

    /**
     * Connect failures and resets, no first byte in time, 502/503/504 and 429 are worth another try; anything else
     * would fail again.
     */
    private boolean isTransient(Throwable failure) {
        UpstreamException upstream = UpstreamException.classify(failure);
        return switch (upstream.failureCause()) {
            case CONNECT, FIRST_BYTE_TIMEOUT -> true;
            case RATE_LIMITED -> !asksLongerThan(upstream, config.retry().retryAfterCap());
            case SERVER_ERROR -> upstream.status() >= 502 && upstream.status() <= 504
                    && !asksLongerThan(upstream, config.retry().retryAfterCap());
            default -> false;
        };
    }

    /** True when the upstream's Retry-After asks for a wait over {@code cap}: then we do not retry at all. */
    private static boolean asksLongerThan(UpstreamException failure, Duration cap) {
        return failure.retryAfter().map(wait -> wait.compareTo(cap) > 0).orElse(false);
    }

    private void counted(UpstreamException failure) {
        failures.get(failure.failureCause()).increment();
        if (failureWarning.due()) {
            LOG.warnf("Upstream range request failed (%s): %s", failure.failureCause().tag(), failure.getMessage());
        }
    }

    private void breakerChanged(CircuitBreakerState state) {
        breakerState.set(state);
        transitions.get(state).increment();
        if (state == CircuitBreakerState.OPEN) {
            LOG.warnf("Upstream circuit breaker opened: checks answer from stale cache or unknown for %s", config.circuitBreaker().delay());
        } else {
            LOG.infof("Upstream circuit breaker is now %s", state.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** Full-jitter exponential back-off, except that an upstream's Retry-After (within the cap) is taken as given. */
    static final class Backoff implements CustomBackoffStrategy {
        private final Duration maxDelay;
        private final Duration retryAfterCap;
        private long ceiling;

        Backoff(Duration maxDelay, Duration retryAfterCap) {
            this.maxDelay = maxDelay;
            this.retryAfterCap = retryAfterCap;
        }

        @Override
        public void init(long initialDelayInMillis) {
            ceiling = Math.max(1, initialDelayInMillis);
        }

        @Override
        public long nextDelayInMillis(Throwable failure) {
            UpstreamException upstream = UpstreamException.classify(failure);
            if (upstream.retryAfter().isPresent() && !asksLongerThan(upstream, retryAfterCap)) {
                return upstream.retryAfter().get().toMillis();
            }
            long wait = ThreadLocalRandom.current().nextLong(ceiling + 1);
            ceiling = Math.min(ceiling * 2, Math.max(1, maxDelay.toMillis()));
            return wait;
        }
    }
}
