package dev.pwcheck.security;

import dev.pwcheck.support.LocalRedis;
import dev.pwcheck.support.PackagedService;
import dev.pwcheck.support.PythonFakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three replicas of the packaged jar sharing one real Redis with {@code PWCHECK_RATE_LIMIT_SHARED=redis}, per-IP
 * 5/s with a burst of 20: a burst of checks from one address spread over the three admits one budget, not three, the
 * rest {@code 429}; with Redis stopped every replica keeps answering, limited by its own buckets.
 */
class SharedRateLimitIT {

    static final int RATE = 5;
    static final int BURST = 20;

    private final LocalRedis redis = new LocalRedis();
    private final PythonFakeUpstream upstream = new PythonFakeUpstream();
    private final List<PackagedService> replicas = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Map<String, String> env = new HashMap<>();
        redis.start().forEach((key, value) -> env.put(key.toUpperCase().replace('.', '_'), value));
        env.put("PWCHECK_UPSTREAM_URL", upstream.start().get("pwcheck.upstream.url"));
        env.put("PWCHECK_RATE_LIMIT_SHARED", "redis");
        env.put("PWCHECK_RATE_LIMIT_PER_IP_RATE", String.valueOf(RATE));
        env.put("PWCHECK_RATE_LIMIT_PER_IP_BURST", String.valueOf(BURST));
        // Far above a loopback round trip, so that a busy machine does not turn a slow Redis answer into a fallback.
        env.put("PWCHECK_RATE_LIMIT_SHARED_TIMEOUT", "2s");
        for (int i = 0; i < 3; i++) {
            replicas.add(PackagedService.start(env));
        }
    }

    @AfterEach
    void stop() {
        replicas.forEach(PackagedService::close);
        redis.stop();
        upstream.stop();
    }

    private int status(PackagedService replica, int n) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(replica.base() + "/v1/passwords/check"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"burst password " + n + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return answer.statusCode();
    }

    @Test
    void threeReplicasAdmitOneBudgetAndKeepAnsweringWithoutRedis() throws Exception {
        // One check each first, so that no replica's first decision (its first Redis connection, classes loading in a
        // cold JVM) is what the burst measures; then the bucket refills (3 tokens at 5/s: 0.6 s).
        for (int i = 0; i < 3; i++) {
            assertEquals(200, status(replicas.get(i), -1 - i));
        }
        Thread.sleep(1500);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            long start = System.nanoTime();
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                PackagedService replica = replicas.get(i % 3);
                int n = i;
                answers.add(pool.submit(() -> status(replica, n)));
            }
            int admitted = 0;
            int refused = 0;
            for (Future<Integer> answer : answers) {
                int status = answer.get();
                admitted += status == 200 ? 1 : 0;
                refused += status == 429 ? 1 : 0;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(150, admitted + refused, "every check answered 200 or 429");
            // One bucket: its burst, and what it refilled while the burst lasted on this machine. Three local buckets
            // would have admitted at least three bursts (60).
            int budget = BURST + (int) Math.ceil(RATE * seconds);
            assertTrue(admitted >= BURST && admitted <= budget,
                    admitted + " admitted in " + seconds + " s; one shared budget allows " + BURST + " to " + budget);

            redis.stopServer();
            for (PackagedService replica : replicas) {
                // Each replica's own bucket is full: it admits, rather than failing or refusing everyone.
                for (int i = 0; i < 3; i++) {
                    assertEquals(200, status(replica, 1000 + i), replica.log());
                }
                assertTrue(replica.metrics().contains("pwcheck_rate_limit_shared 0.0"), "the replica says it fell back");
            }
        } finally {
            pool.shutdownNow();
        }
        for (PackagedService replica : replicas) {
            assertFalse(replica.log().contains(" ERROR "), replica.log());
        }
    }
}
