package dev.pwcheck.mirror;

import dev.pwcheck.mirror.store.StoreFormat;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Writes a made-up corpus in the downloader's single-file layout ({@code HASH:COUNT} lines sorted by hash, LF as on
 * Linux, and a UTF-8 byte order mark before each range's first line, as the downloader's per-range writer puts one)
 * for the mirror benchmark: {@code hashes} random SHA-1 values spread evenly over the 2^20 prefixes, with
 * heavy-tailed counts like the real corpus (most seen a few times, a few millions of times).
 *
 * <pre>GenerateCorpus OUT_FILE HASHES [SEED]</pre>
 */
public final class GenerateCorpus {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes();
    private static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        long hashes = Long.parseLong(args[1]);
        SplittableRandom random = new SplittableRandom(args.length > 2 ? Long.parseLong(args[2]) : 1);
        long start = System.nanoTime();
        long written = 0;
        byte[] line = new byte[64];
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            int prefixes = StoreFormat.PREFIXES;
            for (int prefix = 0; prefix < prefixes; prefix++) {
                // An even share of what is left, so the total comes out exact.
                int n = (int) ((hashes - written) / (prefixes - prefix));
                long[][] suffixes = new long[n][];
                file.write(BOM);
                for (int i = 0; i < n; i++) {
                    // 140 suffix bits: 64 + 64 + 12.
                    suffixes[i] = new long[] { random.nextLong(), random.nextLong(), random.nextInt(1 << 12) };
                }
                Arrays.sort(suffixes, (a, b) -> {
                    int c = Long.compareUnsigned(a[0], b[0]);
                    if (c == 0) {
                        c = Long.compareUnsigned(a[1], b[1]);
                    }
                    return c != 0 ? c : Long.compare(a[2], b[2]);
                });
                for (int i = 0; i < n; i++) {
                    if (i > 0 && Arrays.equals(suffixes[i], suffixes[i - 1])) {
                        continue; // 2^-140: never, but a repeat would be refused by the import
                    }
                    int at = 0;
                    for (int d = 4; d >= 0; d--) {
                        line[at++] = HEX[(prefix >>> (4 * d)) & 0xF];
                    }
                    for (int d = 15; d >= 0; d--) {
                        line[at++] = HEX[(int) (suffixes[i][0] >>> (4 * d)) & 0xF];
                    }
                    for (int d = 15; d >= 0; d--) {
                        line[at++] = HEX[(int) (suffixes[i][1] >>> (4 * d)) & 0xF];
                    }
                    for (int d = 2; d >= 0; d--) {
                        line[at++] = HEX[(int) (suffixes[i][2] >>> (4 * d)) & 0xF];
                    }
                    line[at++] = ':';
                    byte[] count = Integer.toString(count(random)).getBytes();
                    System.arraycopy(count, 0, line, at, count.length);
                    at += count.length;
                    line[at++] = '\n';
                    file.write(line, 0, at);
                    written++;
                }
            }
        }
        System.out.printf("Wrote %,d hashes (%,d bytes) to %s in %.1f s%n", written, Files.size(out), out, (System.nanoTime() - start) / 1e9);
    }

    private static int count(SplittableRandom random) {
        double u = random.nextDouble();
        return (int) Math.min(50_000_000, Math.max(1, Math.floor(1 / Math.pow(1 - u, 1.6))));
    }
}
