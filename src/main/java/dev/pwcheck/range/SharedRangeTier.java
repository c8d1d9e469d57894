package dev.pwcheck.range;

import dev.pwcheck.monitoring.ThrottledWarning;
import dev.pwcheck.format.RangeValidator;
import dev.pwcheck.format.CompactRange;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.redis.RedisCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The optional second cache tier, in Redis, so that a range fetched by one replica serves every replica. Values
 * are the compact records (as in memory) behind a small header holding the fetch time, so every replica ages a
 * range from when it was really fetched. Redis is a convenience, never a dependency: a read that fails or is slow
 * is a miss, a write that fails is dropped, and what is read back is validated like any untrusted input.
 */
@ApplicationScoped
public class SharedRangeTier {

    private static final Logger LOG = Logger.getLogger(SharedRangeTier.class);
    private static final String KEY_PREFIX = "pwcheck:range:";
    /** Format 1: fetch time, records. Format 2 adds the validator (ETag and Last-Modified, each length-prefixed). */
    private static final byte FORMAT_WITHOUT_VALIDATOR = 1;
    private static final byte FORMAT = 2;
    private static final int HEADER_BYTES = 1 + Long.BYTES;

    /** A range as the shared tier holds it, with the wall-clock time it was fetched from upstream. */
    public record SharedRange(CompactRange range, RangeValidator validator, long fetchedAtMillis) {
    }

    private final RedisCommands redis;
    private final Duration timeout;
    private final Duration keep;
    private final Counter hits;
    private final Counter misses;
    private final Counter errors;
    private final ThrottledWarning failureWarning = new ThrottledWarning(Duration.ofSeconds(30));

    public SharedRangeTier(CacheConfig config, Instance<ReactiveRedisDataSource> redis, MeterRegistry registry) {
        this.redis = config.shared() == CacheConfig.Shared.REDIS ? RedisCommands.of(redis.get()) : null;
        this.timeout = config.sharedTimeout();
        // Kept as long as the in-process tier keeps a range (TTL + max-stale), so replicas can serve it stale too.
        this.keep = config.ttl().plus(config.maxStale());
        this.hits = counter(registry, "hit");
        this.misses = counter(registry, "miss");
        this.errors = counter(registry, "error");
    }

    private static Counter counter(MeterRegistry registry, String result) {
        return Counter.builder("pwcheck.cache.shared").description("Shared (Redis) tier operations, by result")
                .tag("result", result).register(registry);
    }

    public boolean enabled() {
        return redis != null;
    }

    /** @return the shared range, or a null item when there is none, the tier is off, or Redis failed */
    public Uni<SharedRange> get(HashMode mode, String prefix) {
        if (redis == null) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().deferred(() -> redis.send(Request.cmd(Command.GET).arg(key(mode, prefix))))
                .ifNoItem().after(timeout).fail()
                .map(value -> decode(mode, value == null ? null : value.toBytes()))
                .invoke(found -> (found == null ? misses : hits).increment())
                .onFailure().recoverWithItem(failure -> {
                    failed("read", failure);
                    return null;
                });
    }

    /** Stores a freshly fetched range for the other replicas; fire and forget. */
    public void put(HashMode mode, String prefix, CompactRange range, RangeValidator validator, long fetchedAtMillis) {
        if (redis == null) {
            return;
        }
        byte[] records = range.records();
        byte[] etag = ascii(validator.etag());
        byte[] lastModified = ascii(validator.lastModified());
        ByteBuffer value = ByteBuffer.allocate(HEADER_BYTES + 2 + etag.length + 2 + lastModified.length + records.length)
                .put(FORMAT).putLong(fetchedAtMillis)
                .putShort((short) etag.length).put(etag).putShort((short) lastModified.length).put(lastModified)
                .put(records);
        Uni.createFrom().deferred(() -> redis.send(Request.cmd(Command.SET).arg(key(mode, prefix)).arg(value.array())
                        .arg("PX").arg(keep.toMillis())))
                .ifNoItem().after(timeout.multipliedBy(4)).fail()
                .subscribe().with(ok -> {
                }, failure -> failed("write", failure));
    }

    /** {@code pwcheck:range:sha1:ABCDE}, {@code pwcheck:range:ntlm:ABCDE}: the corpora never mix. */
    static String key(HashMode mode, String prefix) {
        return KEY_PREFIX + mode.wire() + ":" + prefix;
    }

    private SharedRange decode(HashMode mode, byte[] value) {
        if (value == null) {
            return null;
        }
        if (value.length < HEADER_BYTES || value[0] != FORMAT && value[0] != FORMAT_WITHOUT_VALIDATOR) {
            throw new IllegalArgumentException("shared range value has an unknown format");
        }
        ByteBuffer buffer = ByteBuffer.wrap(value);
        byte format = buffer.get();
        long fetchedAt = buffer.getLong();
        RangeValidator validator = RangeValidator.NONE;
        if (format == FORMAT) {
            validator = RangeValidator.of(readAscii(buffer), readAscii(buffer));
        }
        byte[] records = new byte[buffer.remaining()];
        buffer.get(records);
        return new SharedRange(CompactRange.fromRecords(mode, records), validator, fetchedAt);
    }

    private static byte[] ascii(String value) {
        return value == null ? new byte[0] : value.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** A length-prefixed validator field, bounds-checked: what Redis hands back is untrusted too. */
    private static String readAscii(ByteBuffer buffer) {
        if (buffer.remaining() < 2) {
            throw new IllegalArgumentException("shared range value is cut short");
        }
        int length = buffer.getShort() & 0xffff;
        if (length > RangeValidator.MAX_CHARS || buffer.remaining() < length) {
            throw new IllegalArgumentException("shared range value has a bad validator");
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return length == 0 ? null : new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private void failed(String operation, Throwable failure) {
        errors.increment();
        if (failureWarning.due()) {
            LOG.warnf("Shared cache %s failed (%s); carrying on with the in-process cache and upstream", operation,
                    failure.getClass().getSimpleName());
        }
    }
}
