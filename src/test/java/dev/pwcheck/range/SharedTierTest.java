package dev.pwcheck.range;

import dev.pwcheck.range.Source;
import dev.pwcheck.format.CompactRange;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.upstream.RangeClient;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.check.CheckResource;
import dev.pwcheck.hash.Hex;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.ServiceState;
import dev.pwcheck.support.InjectFakeUpstream;
import dev.pwcheck.support.InjectLocalRedis;
import dev.pwcheck.support.LocalRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.pwcheck.support.Checks.checkSha1;
import static dev.pwcheck.support.Management.management;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Redis tier against a real redis-server: a range one replica fetched serves another without an upstream
 * call, and Redis going away never fails a check. The second replica is a second {@link RangeCache} with its own
 * in-process tier, sharing only Redis and the upstream with the service under test.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = LocalRedis.class, restrictToAnnotatedClass = true)
@TestProfile(SharedTierTest.RedisShared.class)
class SharedTierTest {

    public static class RedisShared implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pwcheck.cache.shared", "redis");
        }
    }

    static final String PREFIX = "5EA5E";
    static final String SUFFIX = "D00000000000000000000000000000000AB";
    static final String PATH = "/range/" + PREFIX;

    @InjectFakeUpstream
    WireMockServer upstream;

    @InjectLocalRedis
    LocalRedis redis;

    @Inject
    RangeCache cache;

    @Inject
    ServiceState service;

    @Inject
    RangeClient client;

    @Inject
    SharedRangeTier sharedTier;

    @Inject
    CacheConfig config;

    @Inject
    RedisDataSource redisData;

    @BeforeEach
    void reset() {
        upstream.resetAll();
        service.reset();
        redisData.flushall();
        upstream.stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withBody("0000000000000000000000000000000000A:0\r\n" + SUFFIX + ":77")));
    }

    private RangeCache anotherReplica() {
        return new RangeCache(client, sharedTier, config, Ticker.systemTicker(), new SimpleMeterRegistry());
    }

    /** A replica configured with another TTL: with zero, whatever it finds in the shared tier is already expired. */
    private RangeCache replicaWithTtl(Duration ttl) {
        CacheConfig shortLived = (CacheConfig) java.lang.reflect.Proxy.newProxyInstance(CacheConfig.class.getClassLoader(),
                new Class<?>[] {CacheConfig.class}, (proxy, method, args) -> method.getName().equals("ttl") ? ttl : method.invoke(config, args));
        return new RangeCache(client, sharedTier, shortLived, Ticker.systemTicker(), new SimpleMeterRegistry());
    }

    @Test
    void aRangeFetchedByOneReplicaServesAnotherWithoutAnUpstreamCall() {
        checkSha1(PREFIX + SUFFIX).header(Source.HEADER, "upstream").body("count", equalTo(77));
        waitForSharedValue();

        RangeLookup other = anotherReplica().lookup(PREFIX).await().atMost(Duration.ofSeconds(5));

        assertEquals(Source.CACHE, other.source());
        assertEquals(77, other.range().count(Hex.packSuffix(SUFFIX, 0)));
        upstream.verify(1, getRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void theSharedValueIsTheCompactFormWithoutPadding() {
        checkSha1(PREFIX + SUFFIX);
        byte[] stored = waitForSharedValue();
        // A 9-byte header (format, fetch time), two empty validator fields (this upstream sends none) and one 22-byte
        // record: the padding line was dropped.
        assertEquals(9 + 2 + 2 + CompactRange.entryBytes(HashMode.SHA1), stored.length);
    }

    @Test
    void theSharedValueKeepsTheUpstreamsValidatorSoAnyReplicaCanRefreshConditionally() {
        upstream.stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"v1-5ea5e\"")
                .withBody(SUFFIX + ":77")));
        checkSha1(PREFIX + SUFFIX);
        byte[] stored = waitForSharedValue();
        assertEquals(2, stored[0], "format 2: with the validator");
        // WireMock's Jetty marks the ETag of an answer it gzips ("v1-5ea5e--gzip") and strips the mark from If-None-Match.
        assertTrue(new String(stored, java.nio.charset.StandardCharsets.US_ASCII).contains("\"v1-5ea5e"));

        // Another replica whose copy has expired asks with the validator the first replica stored, and takes the 304.
        upstream.stubFor(get(urlEqualTo(PATH)).withHeader("If-None-Match", com.github.tomakehurst.wiremock.client.WireMock.containing("v1-5ea5e"))
                .willReturn(aResponse().withStatus(304)));
        RangeLookup other = replicaWithTtl(Duration.ZERO).lookup(PREFIX).await().atMost(Duration.ofSeconds(5));
        assertEquals(Source.UPSTREAM, other.source());
        assertEquals(77, other.range().count(Hex.packSuffix(SUFFIX, 0)));
        upstream.verify(1, getRequestedFor(urlEqualTo(PATH)).withHeader("If-None-Match", com.github.tomakehurst.wiremock.client.WireMock.containing("v1-5ea5e")));
    }

    @Test
    void aValueWrittenInTheFormatBeforeValidatorsIsStillRead() {
        byte[] record = new byte[CompactRange.entryBytes(HashMode.SHA1)];
        System.arraycopy(Hex.packSuffix(SUFFIX, 0), 0, record, 0, 18);
        record[21] = 55;
        java.nio.ByteBuffer value = java.nio.ByteBuffer.allocate(9 + record.length).put((byte) 1).putLong(System.currentTimeMillis()).put(record);
        redisData.value(byte[].class).set("pwcheck:range:sha1:" + PREFIX, value.array());

        checkSha1(PREFIX + SUFFIX).header(Source.HEADER, "cache").body("count", equalTo(55));
        upstream.verify(0, getRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void aCorruptSharedValueIsIgnoredAndUpstreamAsked() {
        redisData.value(byte[].class).set("pwcheck:range:sha1:" + PREFIX, new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 42, 42, 42 });

        checkSha1(PREFIX + SUFFIX).header(Source.HEADER, "upstream").body("count", equalTo(77));
        upstream.verify(1, getRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void checksAreStillAnsweredWhileRedisIsDown() {
        redis.stopServer();
        try {
            checkSha1(PREFIX + SUFFIX).time(lessThan(10_000L), TimeUnit.MILLISECONDS)
                    .header(Source.HEADER, "upstream").body("verdict", equalTo("breached"));
            checkSha1(PREFIX + SUFFIX).header(Source.HEADER, "cache").body("count", equalTo(77));
        } finally {
            redis.startServer();
        }
    }

    @Test
    void redisReachabilityIsReportedInItsOwnGroupAndNeverInReadiness() {
        management().when().get("/q/health/group/shared-cache").then().statusCode(200)
                .body("checks[0].name", equalTo("shared-cache")).body("checks[0].data.tier", equalTo("redis"));
        redis.stopServer();
        try {
            management().when().get("/q/health/group/shared-cache").then().statusCode(503).body("status", equalTo("DOWN"));
            management().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        } finally {
            redis.startServer();
        }
    }

    private byte[] waitForSharedValue() {
        // The write to Redis is fire and forget; give it a moment to land.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        byte[] value;
        while ((value = redisData.value(byte[].class).get("pwcheck:range:sha1:" + PREFIX)) == null && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return value;
    }
}
