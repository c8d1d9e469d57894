package dev.pwcheck.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a corpus byte for byte the way HIBP's official downloader (HaveIBeenPwned/PwnedPasswordsDownloader,
 * Program.cs) lays out its output, not the way we would:
 * <ul>
 * <li>single file: each range's block is built in a fresh buffer through a new UTF-8 {@code StreamWriter}, which
 * writes the UTF-8 preamble (EF BB BF) at the buffer's start, so every range's first line carries a byte order mark;
 * lines are {@code PREFIXSUFFIX:COUNT} ending with the platform's newline (LF on Linux and macOS, CRLF on Windows).
 * (The issue describing this layout names that version; the version of Program.cs read for this test writes through
 * one {@code StreamWriter(file)} without a preamble, which {@code withBoms=false} reproduces.)</li>
 * <li>range files ({@code -s false}): each {@code PREFIX.txt} is the range API's body copied as is: {@code SUFFIX:COUNT}
 * lines separated by CRLF, no newline after the last, no padding, no byte order mark.</li>
 * </ul>
 * {@code --ntlm} gives the same shapes with 32-hex hashes.
 */
public final class DownloaderFiles {

    private static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

    private DownloaderFiles() {
    }

    /** The single file; {@code newline} is "\n" or "\r\n". */
    public static Path singleFile(Corpus corpus, Path file, String newline, boolean withBoms) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            for (Map.Entry<String, TreeMap<String, Integer>> range : byPrefix(corpus).entrySet()) {
                ByteArrayOutputStream block = new ByteArrayOutputStream();
                if (withBoms) {
                    block.write(BOM);
                }
                for (Map.Entry<String, Integer> entry : range.getValue().entrySet()) {
                    block.write((range.getKey() + entry.getKey() + ":" + entry.getValue() + newline).getBytes(StandardCharsets.UTF_8));
                }
                block.writeTo(out);
            }
        }
        return file;
    }

    /** The range files, in a directory. */
    public static Path rangeFiles(Corpus corpus, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, TreeMap<String, Integer>> range : byPrefix(corpus).entrySet()) {
            List<String> lines = range.getValue().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList();
            Files.write(dir.resolve(range.getKey() + ".txt"), String.join("\r\n", lines).getBytes(StandardCharsets.UTF_8));
        }
        return dir;
    }

    private static TreeMap<String, TreeMap<String, Integer>> byPrefix(Corpus corpus) {
        TreeMap<String, TreeMap<String, Integer>> ranges = new TreeMap<>();
        corpus.hashes().forEach((hash, count) -> ranges.computeIfAbsent(hash.substring(0, 5), p -> new TreeMap<>()).put(hash.substring(5), count));
        return ranges;
    }
}
