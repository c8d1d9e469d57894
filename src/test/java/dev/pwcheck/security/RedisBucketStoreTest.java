package dev.pwcheck.security;

import dev.pwcheck.redis.RedisCommands;
import dev.pwcheck.support.LocalRedis;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Bucket4j backend over the Vert.x Redis client against a real redis-server: three "replicas" (three clients, each
 * with its own connections) spending one bucket at once admit exactly one budget, however their compare-and-swaps
 * interleave, and each decision stays a few round trips.
 */
class RedisBucketStoreTest {

    static final LocalRedis REDIS = new LocalRedis();
    static Vertx vertx;
    static List<AsyncProxyManager<String>> replicas = new ArrayList<>();

    @BeforeAll
    static void start() {
        Map<String, String> config = REDIS.start();
        vertx = Vertx.vertx();
        for (int i = 0; i < 3; i++) {
            Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.get("quarkus.redis.hosts"))
                    .setPassword(config.get("quarkus.redis.password")).setMaxPoolSize(6).setMaxPoolWaiting(1000));
            replicas.add(new RedisBucketStore(new RedisCommands(client), ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10))).asAsync());
        }
    }

    @AfterAll
    static void stop() {
        vertx.closeAndAwait();
        REDIS.stop();
    }

    @Test
    void threeReplicasAtOnceAdmitOneBudget() throws Exception {
        // A refill so slow that the run never sees a token come back: exactly the burst is admitted.
        BucketConfiguration bucket = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(20).refillGreedy(1, Duration.ofHours(1))).build();
        List<CompletableFuture<Boolean>> takes = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 150; i++) {
            takes.add(replicas.get(i % 3).builder().build("pwcheck:rate:ip:192.0.2.1", () -> CompletableFuture.completedFuture(bucket))
                    .tryConsume(1));
        }
        int admitted = 0;
        for (CompletableFuture<Boolean> take : takes) {
            admitted += take.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        System.out.printf("150 decisions by three clients in %.0f ms%n", (System.nanoTime() - start) / 1e6);
        assertEquals(20, admitted);
    }
}
