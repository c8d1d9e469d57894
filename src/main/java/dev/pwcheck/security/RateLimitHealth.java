package dev.pwcheck.security;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Which buckets limit this replica, in {@code /q/health/ready}: {@code shared} (Redis), {@code local} (not shared), or
 * {@code local-fallback} with the reason while Redis cannot be reached. Always up: a replica limiting with its own
 * buckets still serves correctly, and taking every replica out of service for a Redis outage would turn a weaker
 * limit into no service at all.
 */
@Readiness
@ApplicationScoped
public class RateLimitHealth implements HealthCheck {

    private final SharedBuckets shared;

    RateLimitHealth(SharedBuckets shared) {
        this.shared = shared;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("rate-limit").up();
        if (!shared.enabled()) {
            return response.withData("buckets", "local").build();
        }
        if (shared.inUse()) {
            return response.withData("buckets", "shared").build();
        }
        return response.withData("buckets", "local-fallback")
                .withData("reason", "Redis unreachable (" + shared.lastFailure() + ")").build();
    }
}
