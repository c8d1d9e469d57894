package dev.pwcheck.mirror.service;

import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.format.HashMode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * In {@code pwcheck.source=mirror} a replica without a SHA-1 store can only answer unknown, so it is not ready
 * until one is loaded; with the upstream behind the mirror it is ready either way.
 */
@Readiness
@ApplicationScoped
public class MirrorHealth implements HealthCheck {

    private final Mirror mirror;

    MirrorHealth(Mirror mirror) {
        this.mirror = mirror;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("mirror").withData("enabled", mirror.enabled());
        boolean ready = !mirror.mirrorOnly();
        for (HashMode mode : HashMode.values()) {
            MirrorStore store = mirror.store(mode);
            if (store != null) {
                response.withData(mode.wire() + "-hashes", store.hashes()).withData(mode.wire() + "-built", store.createdAt().toString());
                ready |= mode == HashMode.SHA1;
            }
        }
        return response.status(ready).build();
    }
}
