package dev.pwcheck.range;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Fetches one range from the upstream and turns whatever comes back into either a validated {@link CompactRange}
 * or an {@link UpstreamException} naming the cause. Nothing else in the service sees HTTP.
 */
@Startup // publishes its meters before the first fetch, so a scrape always sees every failure cause
@ApplicationScoped
public class RangeClient {

    private static final Logger LOG = Logger.getLogger(RangeClient.class);
    /** Histogram buckets: enough for p50/p99 around a 2 s budget without a hundred series per outcome. */
    private static final Duration[] SLO_BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2000, 5000)
            .map(Duration::ofMillis).toArray(Duration[]::new);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final HibpRangeApi api;
    private final UpstreamConfig config;
    private final RangeParser parser;
    private final Timer successTimer;
    private final Timer failureTimer;
    private final Map<FailureCause, Counter> failures = new EnumMap<>(FailureCause.class);
    private final AtomicLong lastWarn = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);

    RangeClient(@RestClient HibpRangeApi api, UpstreamConfig config, MeterRegistry registry) {
        this.api = api;
        this.config = config;
        this.parser = new RangeParser(config.maxBodyBytes(), config.maxLines());
        this.successTimer = requestTimer(registry, "success");
        this.failureTimer = requestTimer(registry, "failure");
        for (FailureCause cause : FailureCause.values()) {
            failures.put(cause, Counter.builder("pwcheck.upstream.failures")
                    .description("Upstream range requests that gave no usable range, by cause")
                    .tag("cause", cause.tag())
                    .register(registry));
        }
    }

    private static Timer requestTimer(MeterRegistry registry, String outcome) {
        return Timer.builder("pwcheck.upstream.requests")
                .description("Upstream range requests, by outcome")
                .tag("outcome", outcome)
                .serviceLevelObjectives(SLO_BUCKETS)
                .register(registry);
    }

    /** @return the range for {@code prefix} (5 uppercase hex), or a failure that is always an {@link UpstreamException} */
    public Uni<CompactRange> fetch(String prefix) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return api.range(prefix, config.userAgent())
                    .ifNoItem().after(config.timeout())
                    .failWith(() -> new UpstreamException(FailureCause.TIMEOUT, "upstream did not answer within " + config.timeout()))
                    .map(this::toRange)
                    .onFailure().transform(UpstreamException::classify)
                    .onItemOrFailure().invoke((range, failure) -> record(start, failure));
        });
    }

    private CompactRange toRange(RestResponse<byte[]> response) {
        if (response.getStatus() != 200) {
            throw new UpstreamException(FailureCause.UNEXPECTED_STATUS, "upstream answered " + response.getStatus());
        }
        byte[] body = response.getEntity();
        return body == null ? CompactRange.EMPTY : parser.parse(body);
    }

    private void record(long start, Throwable failure) {
        long elapsed = System.nanoTime() - start;
        if (failure == null) {
            successTimer.record(elapsed, TimeUnit.NANOSECONDS);
            return;
        }
        failureTimer.record(elapsed, TimeUnit.NANOSECONDS);
        FailureCause cause = ((UpstreamException) failure).failureCause();
        failures.get(cause).increment();
        long last = lastWarn.get();
        // One line per interval: an outage fails every uncached check, and the metrics carry the full count.
        if (start - last >= WARN_INTERVAL_NANOS && lastWarn.compareAndSet(last, start)) {
            LOG.warnf("Upstream range request failed (%s): %s", cause.tag(), failure.getMessage());
        }
    }
}
