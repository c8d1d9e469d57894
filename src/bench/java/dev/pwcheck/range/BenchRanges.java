package dev.pwcheck.range;

import dev.pwcheck.format.CompactRange;
import dev.pwcheck.format.RangeParser;
import dev.pwcheck.format.HashMode;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

/** Builds realistic ranges and a warm {@link RangeCache} for the benchmarks, without any upstream. */
public final class BenchRanges {

    private BenchRanges() {
    }

    /** A range answer as HIBP sends it with padding: {@code entries} real lines plus count-0 padding, CRLF. */
    public static byte[] answer(Random random, int entries, int padding, String... extraSuffixes) {
        StringBuilder body = new StringBuilder((entries + padding) * 42);
        for (int i = 0; i < entries + padding; i++) {
            appendRandomSuffix(random, body);
            body.append(':').append(i < entries ? 1 + (int) Math.min(5_000_000, Math.abs(random.nextGaussian() * 200)) : 0).append("\r\n");
        }
        for (String suffix : extraSuffixes) {
            body.append(suffix).append(":42\r\n");
        }
        return body.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void appendRandomSuffix(Random random, StringBuilder out) {
        for (int i = 0; i < 35; i++) {
            out.append("0123456789ABCDEF".charAt(random.nextInt(16)));
        }
    }

    public static CompactRange parse(byte[] answer) {
        return new RangeParser(HashMode.SHA1, 2 * 1024 * 1024, 100_000).parse(answer);
    }

    /** A cache with nothing behind it: benchmarks only read what they stored. */
    public static RangeCache emptyCache(long maxBytes, MeterRegistry registry) {
        CacheConfig config = new CacheConfig() {
            public long maxBytes() {
                return maxBytes;
            }

            public Duration ttl() {
                return Duration.ofHours(24);
            }

            public Duration maxStale() {
                return Duration.ofDays(7);
            }

            public Duration staleRetryBackoff() {
                return Duration.ofSeconds(30);
            }

            public Shared shared() {
                return Shared.NONE;
            }

            public Duration sharedTimeout() {
                return Duration.ofMillis(250);
            }

            public Duration negativeTtl() {
                return Duration.ZERO;
            }
        };
        return new RangeCache(null, new SharedRangeTier(config, null, registry), config, Ticker.systemTicker(), registry);
    }

    public static void store(RangeCache cache, String prefix, CompactRange range) {
        cache.store(prefix, range, cache.now());
    }
}
