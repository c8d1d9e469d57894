package dev.pwcheck.upstream;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import java.util.Locale;

/**
 * Upstream state, reported in its own group ({@code /q/health/group/upstream}) and deliberately not in readiness:
 * HIBP being down is the same for every replica, and pulling them all out of the load balancer would turn an
 * upstream outage into ours. DOWN while the circuit breaker is open.
 */
@HealthGroup("upstream")
@ApplicationScoped
public class UpstreamHealth implements HealthCheck {

    private final RangeClient client;

    UpstreamHealth(RangeClient client) {
        this.client = client;
    }

    @Override
    public HealthCheckResponse call() {
        CircuitBreakerState state = client.breakerState();
        return HealthCheckResponse.named("hibp-upstream")
                .status(state != CircuitBreakerState.OPEN)
                .withData("circuit-breaker", state.name().toLowerCase(Locale.ROOT))
                .build();
    }
}
