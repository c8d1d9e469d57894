package dev.pwcheck.range;

import dev.pwcheck.redis.RedisCommands;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheckResponse;

import java.time.Duration;

/**
 * The shared (Redis) tier's reachability, in its own group ({@code /q/health/group/shared-cache}) and never in
 * readiness: a Redis outage only turns shared reads into misses, so it must not take every replica out of service.
 * (Quarkus's own Redis check, which would sit in readiness and is listed even without a Redis, is turned off.)
 */
@HealthGroup("shared-cache")
@ApplicationScoped
public class SharedTierHealth implements AsyncHealthCheck {

    private static final String NAME = "shared-cache";

    private final RedisCommands redis;
    private final Duration timeout;

    SharedTierHealth(CacheConfig config, Instance<ReactiveRedisDataSource> redis) {
        this.redis = config.shared() == CacheConfig.Shared.REDIS ? RedisCommands.of(redis.get()) : null;
        this.timeout = config.sharedTimeout();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (redis == null) {
            return Uni.createFrom().item(HealthCheckResponse.named(NAME).up().withData("tier", "none").build());
        }
        return redis.send(Request.cmd(Command.PING))
                .ifNoItem().after(timeout).fail()
                .map(pong -> HealthCheckResponse.named(NAME).up().withData("tier", "redis").build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(NAME).down().withData("tier", "redis")
                        .withData("error", failure.getClass().getSimpleName()).build());
    }
}
