package dev.pwcheck.monitoring;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Publishes the HTTP server's request timer as a histogram ({@code http_server_requests_seconds_bucket}), so that
 * Prometheus can compute the p50/p99 of {@code /v1} checks across replicas (percentiles computed in each process
 * cannot be added up). Fixed buckets around the 2 s check deadline keep the series count small.
 */
@Singleton
public class LatencyHistograms {

    static final double[] BUCKETS_SECONDS = Stream.of(1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2000, 5000)
            .mapToDouble(ms -> ms.doubleValue() / 1000).toArray();

    @Produces
    @Singleton
    MeterFilter httpServerHistogram() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals("http.server.requests")) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        // A timer's objectives are in its base unit, nanoseconds.
                        .serviceLevelObjectives(Arrays.stream(BUCKETS_SECONDS).map(seconds -> seconds * 1e9).toArray())
                        .build()
                        .merge(config);
            }
        };
    }
}
