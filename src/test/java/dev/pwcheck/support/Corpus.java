package dev.pwcheck.support;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A made-up corpus in the formats HIBP's downloader writes, with the truth kept beside it, so that a store built
 * from the files can be checked hash by hash. Counts are heavy-tailed like the real ones, some past the 4095
 * that a store record holds itself.
 */
public final class Corpus {

    /** Full hash (uppercase hex) to count, in hash order. */
    private final TreeMap<String, Integer> hashes = new TreeMap<>();
    private final int hexChars;

    private Corpus(int hexChars) {
        this.hexChars = hexChars;
    }

    /** {@code perPrefix} random hashes under each of {@code prefixes}; 40-hex (SHA-1) or 32-hex (NTLM). */
    public static Corpus random(long seed, int hexChars, List<String> prefixes, int perPrefix) {
        Corpus corpus = new Corpus(hexChars);
        SplittableRandom random = new SplittableRandom(seed);
        for (String prefix : prefixes) {
            for (int i = 0; i < perPrefix; i++) {
                StringBuilder hash = new StringBuilder(prefix);
                while (hash.length() < hexChars) {
                    hash.append("0123456789ABCDEF".charAt(random.nextInt(16)));
                }
                corpus.put(hash.toString(), heavyTailedCount(random));
            }
        }
        return corpus;
    }

    public static Corpus empty(int hexChars) {
        return new Corpus(hexChars);
    }

    static int heavyTailedCount(SplittableRandom random) {
        // Pareto-like: most counts are small, a few run into the millions.
        double u = random.nextDouble();
        return (int) Math.min(50_000_000, Math.max(1, Math.floor(1 / Math.pow(1 - u, 1.6))));
    }

    public Corpus put(String hash, int count) {
        if (hash.length() != hexChars) {
            throw new IllegalArgumentException("hash of the wrong length");
        }
        hashes.put(hash.toUpperCase(Locale.ROOT), count);
        return this;
    }

    public Map<String, Integer> hashes() {
        return hashes;
    }

    public List<String> prefixes() {
        List<String> prefixes = new ArrayList<>();
        for (String hash : hashes.keySet()) {
            String prefix = hash.substring(0, 5);
            if (prefixes.isEmpty() || !prefixes.get(prefixes.size() - 1).equals(prefix)) {
                prefixes.add(prefix);
            }
        }
        return prefixes;
    }

    /** The downloader's single-file output: {@code HASH:COUNT} lines sorted by hash. */
    public Path writeSingleFile(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            for (Map.Entry<String, Integer> entry : hashes.entrySet()) {
                out.write(entry.getKey() + ":" + entry.getValue() + "\r\n");
            }
        }
        return file;
    }

    /** The downloader's per-range output: {@code PREFIX.txt} files of CRLF-separated {@code SUFFIX:COUNT} lines. */
    public Path writeRangeFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, String> range : rangeTexts().entrySet()) {
            Files.writeString(dir.resolve(range.getKey() + ".txt"), range.getValue(), StandardCharsets.US_ASCII);
        }
        return dir;
    }

    /** Each prefix's range exactly as the HIBP range API writes it (no padding, no trailing newline). */
    public Map<String, String> rangeTexts() {
        Map<String, StringBuilder> texts = new HashMap<>();
        for (Map.Entry<String, Integer> entry : hashes.entrySet()) {
            StringBuilder text = texts.computeIfAbsent(entry.getKey().substring(0, 5), p -> new StringBuilder());
            if (text.length() > 0) {
                text.append("\r\n");
            }
            text.append(entry.getKey(), 5, hexChars).append(':').append(entry.getValue());
        }
        Map<String, String> out = new TreeMap<>();
        texts.forEach((prefix, text) -> out.put(prefix, text.toString()));
        return out;
    }
}
