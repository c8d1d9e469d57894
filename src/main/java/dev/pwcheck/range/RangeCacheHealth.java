package dev.pwcheck.range;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness reports the cache, not the upstream: HIBP being down must not take every replica out of the load
 * balancer at once, since each replica can still answer (stale or unknown).
 */
@Readiness
@ApplicationScoped
public class RangeCacheHealth implements HealthCheck {

    private final RangeCache cache;

    RangeCacheHealth(RangeCache cache) {
        this.cache = cache;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("range-cache")
                .up()
                .withData("entries", cache.entries())
                .withData("bytes", cache.weightedBytes())
                .build();
    }
}
