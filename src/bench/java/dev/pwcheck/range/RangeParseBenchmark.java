package dev.pwcheck.range;

import dev.pwcheck.format.CompactRange;
import dev.pwcheck.format.RangeParser;
import dev.pwcheck.format.HashMode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The parse of one range answer as a sync receives it (950 sorted lines, CRLF, no line end after the last, as the
 * bench's nginx serves them), next to a loop that only counts the same answer's line ends: the least any parser must
 * do is look at every byte. Run it with the JVM's defaults and with {@code -jvmArgsAppend -XX:TieredStopAtLevel=1}
 * (the compiler the sync is documented to run with).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class RangeParseBenchmark {

    private final RangeParser parser = new RangeParser(HashMode.SHA1, 4 << 20, 200_000);
    private byte[] answer;

    @Setup
    public void setUp() {
        Random random = new Random(950);
        TreeSet<String> suffixes = new TreeSet<>();
        while (suffixes.size() < 950) {
            StringBuilder suffix = new StringBuilder(35);
            for (int i = 0; i < 35; i++) {
                suffix.append("0123456789ABCDEF".charAt(random.nextInt(16)));
            }
            suffixes.add(suffix.toString());
        }
        StringBuilder body = new StringBuilder(950 * 42);
        int line = 0;
        for (String suffix : suffixes) {
            body.append(line == 0 ? "" : "\r\n").append(suffix).append(':').append(1 + (line * 13) % 5000);
            line++;
        }
        answer = body.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public CompactRange parse() {
        return parser.parse(answer, answer.length);
    }

    @Benchmark
    public int lineEnds() {
        int lines = 1;
        for (byte b : answer) {
            if (b == '\n') {
                lines++;
            }
        }
        return lines;
    }
}
