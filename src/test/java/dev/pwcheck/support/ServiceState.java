package dev.pwcheck.support;

import dev.pwcheck.range.RangeCache;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.concurrent.TimeUnit;

/** Puts the service back to a known state between tests that share one running application. */
@Singleton
public class ServiceState {

    @Inject
    RangeCache cache;

    @Inject
    CircuitBreakerMaintenance breakers;

    /** Lets fetches still under way finish, then empties the cache and closes the circuit breaker. */
    public void reset() {
        awaitNoFetches();
        cache.invalidateAll();
        breakers.resetAll();
    }

    /** A retrying fetch may outlive the check that started it (it stops at the deadline); wait for it to end. */
    public void awaitNoFetches() {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (cache.loadsInFlight() > 0 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
