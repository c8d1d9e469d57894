package dev.pwcheck.mirror;

import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.hash.Hex;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One lookup in a mirror store (index, then a binary search inside one memory-mapped range), for hashes drawn at
 * random over all prefixes, half of them in the corpus and half not. Sample mode, for the p50/p99 the benchmarks
 * page reports, beside plain SHA-1 of a password as the same run's yardstick. {@code store} is the full and the
 * compact store and the filter built from the same corpus; the queries come from the full one ({@code queries}), so
 * all answer the same questions.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class MirrorLookupBenchmark {

    private static final int QUERIES = 1 << 16;

    @Param({ "target/bench-mirror/full/sha1.pwstore", "target/bench-mirror/compact/sha1.pwstore", "target/bench-mirror/filter/sha1.pwstore" })
    String store;

    @Param("target/bench-mirror/full/sha1.pwstore")
    String queries;

    private MirrorStore mirror;
    private int[] prefixes;
    private byte[][] suffixes;
    private int next;

    @Setup
    public void open() throws java.security.NoSuchAlgorithmException {
        sha1 = java.security.MessageDigest.getInstance("SHA-1");
        mirror = MirrorStore.open(Path.of(store), true);
        MirrorStore full = MirrorStore.open(Path.of(queries), false);
        SplittableRandom random = new SplittableRandom(7);
        prefixes = new int[QUERIES];
        suffixes = new byte[QUERIES][];
        byte[] suffix = new byte[Hex.SUFFIX_BYTES];
        for (int i = 0; i < QUERIES; i++) {
            prefixes[i] = random.nextInt(StoreFormat.PREFIXES);
            var range = full.range(prefixes[i]);
            if (i % 2 == 0 && range.size() > 0) {
                range.packedSuffixAt(random.nextInt(range.size()), suffix);
            } else {
                for (int b = 0; b < suffix.length; b++) {
                    suffix[b] = (byte) random.nextInt(256);
                }
                suffix[suffix.length - 1] &= (byte) 0xF0;
            }
            suffixes[i] = suffix.clone();
        }
    }

    private final byte[] password = "correct horse battery staple".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private java.security.MessageDigest sha1;

    /** The reference in the same run: the SHA-1 every check pays before any lookup. */
    @Benchmark
    public byte[] plainSha1() {
        return sha1.digest(password);
    }

    @Benchmark
    public int lookup() {
        int i = next++ & (QUERIES - 1);
        return mirror.count(prefixes[i], suffixes[i]);
    }
}
