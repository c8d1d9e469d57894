package dev.pwcheck.check;

import dev.pwcheck.hash.PasswordHasher;
import dev.pwcheck.lookup.LookupOrder;
import dev.pwcheck.mirror.service.Mirror;
import dev.pwcheck.mirror.service.SourceConfig;
import dev.pwcheck.range.BenchRanges;
import dev.pwcheck.range.RangeCache;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The check's hot path once ranges are cached (hash the password, find its range, binary-search the suffix,
 * apply the threshold, count the verdict) next to plain SHA-1 of the same bytes, which any checker must pay.
 * The ratio says how much of a cached check is the work beyond hashing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class HotPathBenchmark {

    private static final int PASSWORDS = 4096;

    /** Ranges the passwords spread over: 64 stay in the CPU caches, 4096 (~90 MB of ranges) do not, as in production. */
    @Param({ "64", "4096" })
    int ranges;

    private String[] passwords;
    private byte[][] passwordBytes;
    private PasswordChecker checker;
    private int next;

    @Setup
    public void warmCache() throws Exception {
        Random random = new Random(42);
        passwords = new String[PASSWORDS];
        passwordBytes = new byte[PASSWORDS][];
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RangeCache cache = BenchRanges.emptyCache(1L << 30, registry);
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        for (int i = 0; i < PASSWORDS; i++) {
            passwords[i] = "bench-password-" + random.nextLong();
            passwordBytes[i] = passwords[i].getBytes(StandardCharsets.UTF_8);
            String hex = java.util.HexFormat.of().formatHex(sha1.digest(passwordBytes[i])).toUpperCase(Locale.ROOT);
            // Half the passwords are in their range, half are not: both outcomes of the binary search are measured.
            String[] extra = i % 2 == 0 ? new String[] { hex.substring(5) } : new String[0];
            if (i < ranges) {
                BenchRanges.store(cache, hex.substring(0, 5), BenchRanges.parse(BenchRanges.answer(random, 950, 100, extra)));
            } else {
                passwords[i] = passwords[i % ranges];
                passwordBytes[i] = passwordBytes[i % ranges];
            }
        }
        // Upstream mode, as the numbers below were always taken: the mirror is off and costs one field read.
        Mirror mirrorOff = new Mirror(() -> SourceConfig.RangeSourceMode.UPSTREAM, null, registry);
        CheckConfig check = new CheckConfig() {
            public int minCount() {
                return 1;
            }

            public java.util.Optional<java.util.List<String>> contextWords() {
                return java.util.Optional.empty();
            }
        };
        FlowConfig.LoginPolicy defaults = new FlowConfig.LoginPolicy() {
            public java.util.OptionalInt minCount() {
                return java.util.OptionalInt.empty();
            }

            public FlowConfig.OnUnknown onUnknown() {
                return FlowConfig.OnUnknown.ALLOW;
            }

            public java.util.OptionalInt minLength() {
                return java.util.OptionalInt.empty();
            }

            public java.util.OptionalInt minLengthSingleFactor() {
                return java.util.OptionalInt.empty();
            }

            public int maxBytes() {
                return 0;
            }

            public java.util.Optional<Boolean> refuseContextWords() {
                return java.util.Optional.empty();
            }

            public FlowConfig.OnBreachedWithMfa onBreachedWithMfa() {
                return FlowConfig.OnBreachedWithMfa.RESET_AFTER_MFA;
            }
        };
        FlowConfig flows = new FlowConfig() {
            public LoginPolicy login() {
                return defaults;
            }

            public Policy registration() {
                return defaults;
            }

            public Policy reset() {
                return defaults;
            }

            public ApiKeyPolicy apiKey() {
                return new ApiKeyPolicy() {
                    public java.util.OptionalInt minCount() {
                        return defaults.minCount();
                    }

                    public FlowConfig.OnUnknown onUnknown() {
                        return defaults.onUnknown();
                    }

                    public java.util.OptionalInt minLength() {
                        return defaults.minLength();
                    }

                    public java.util.OptionalInt minLengthSingleFactor() {
                        return defaults.minLengthSingleFactor();
                    }

                    public int maxBytes() {
                        return defaults.maxBytes();
                    }

                    public java.util.Optional<Boolean> refuseContextWords() {
                        return defaults.refuseContextWords();
                    }

                    public FlowConfig.ApiKeyOnBreachedWithMfa onBreachedWithMfa() {
                        return FlowConfig.ApiKeyOnBreachedWithMfa.RESET_AFTER_MFA;
                    }
                };
            }
        };
        dev.pwcheck.mirror.service.Fallback noFallback = new dev.pwcheck.mirror.service.Fallback(java.util.Optional::empty, null, registry);
        // The lookup order as the service has it, with the check's 2 s deadline.
        LookupOrder sources = new LookupOrder(mirrorOff, cache, noFallback, () -> java.time.Duration.ofSeconds(2));
        checker = new PasswordChecker(sources, new FlowPolicy(flows, check, registry), registry);
    }

    @Benchmark
    public byte[] plainSha1() throws Exception {
        int i = next++ & (PASSWORDS - 1);
        return MessageDigest.getInstance("SHA-1").digest(passwordBytes[i]);
    }

    /** The hashing share of a check: UTF-8 encoding, SHA-1, splitting into prefix and packed suffix. */
    @Benchmark
    public Object hashOnly() {
        return PasswordHasher.hash(passwords[next++ & (PASSWORDS - 1)]);
    }

    @Benchmark
    public void cachedCheck(Blackhole blackhole) {
        int i = next++ & (PASSWORDS - 1);
        // The Uni completes during subscription when the range is cached, as on the event loop.
        checker.check(PasswordHasher.hash(passwords[i])).subscribe().with(blackhole::consume);
    }
}
