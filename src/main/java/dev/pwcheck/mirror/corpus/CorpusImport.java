package dev.pwcheck.mirror.corpus;

import dev.pwcheck.mirror.Progress;
import dev.pwcheck.mirror.store.StoreException;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.mirror.store.StoreWriter;
import dev.pwcheck.hash.Hex;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.format.RangeParser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Builds a store from what HIBP's official downloader writes: either one file of {@code HASH:COUNT} lines sorted
 * by hash, or a directory of {@code PREFIX.txt} files of {@code SUFFIX:COUNT} lines, one per range. The downloader
 * writes each range of its single file through a new UTF-8 writer, so a byte order mark (EF BB BF) stands before
 * the first line of every range; a mark at the start of a line is skipped, anywhere else it is a malformed line.
 * LF, CRLF and a mix of them are accepted, and hex in either case. Streams, so
 * memory stays bounded by the writer's index whatever the corpus size. Every line is checked; the first bad one
 * stops the import with its file and line number, and the existing store is left as it was.
 */
public final class CorpusImport {

    private static final int MAX_LINE = 128;

    private static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

    private final HashMode mode;
    private final StoreFormat.Kind kind;
    private final boolean partial;
    private final Progress progress;
    private final byte[] suffix;
    private long merged;

    /**
     * @param partial accept input that does not cover every prefix (the store then answers only for the ranges
     *                it holds); without it, a gap is taken for a truncated or incomplete download
     */
    public CorpusImport(HashMode mode, boolean partial, Progress progress) {
        this(mode, StoreFormat.Kind.FULL, partial, progress);
    }

    public CorpusImport(HashMode mode, StoreFormat.Kind kind, boolean partial, Progress progress) {
        this.mode = mode;
        this.kind = kind;
        this.partial = partial;
        this.progress = progress;
        this.suffix = new byte[mode.suffixBytes()];
    }

    /** Imports {@code input} (a file or a directory of range files) into a new store at {@code target}. */
    public Path run(Path input, Path target) throws IOException {
        try (StoreWriter writer = new StoreWriter(target, mode, kind, false)) {
            if (Files.isDirectory(input)) {
                fromRangeFiles(input, writer);
            } else if (Files.isRegularFile(input)) {
                fromSingleFile(input, writer);
            } else {
                throw new StoreException(input + " is neither a file nor a directory");
            }
            progress.finish();
            Path store = writer.commit();
            merged = writer.merged();
            return store;
        }
    }

    /** Hashes a compact import folded into another because their first 64 bits matched. */
    public long merged() {
        return merged;
    }

    /** Where a line's content starts: after a byte order mark, if the line begins with one. */
    private static int afterBom(byte[] b, int from, int to) {
        return to - from >= BOM.length && b[from] == BOM[0] && b[from + 1] == BOM[1] && b[from + 2] == BOM[2] ? from + BOM.length : from;
    }

    private void fromSingleFile(Path file, StoreWriter writer) throws IOException {
        int hashChars = StoreFormat.PREFIX_CHARS + mode.suffixChars();
        int prefix = -1;
        try (InputStream in = Files.newInputStream(file)) {
            LineReader lines = new LineReader(in, MAX_LINE);
            while (lines.next()) {
                byte[] b = lines.buffer();
                int from = afterBom(b, lines.start(), lines.end());
                if (lines.end() - from < hashChars) {
                    throw bad(file, lines.number(), "is not HASH:COUNT with a " + hashChars + "-digit hash");
                }
                int linePrefix = prefixOf(b, from);
                int count = parseEntry(b, from + StoreFormat.PREFIX_CHARS, lines.end());
                if (linePrefix < 0 || count < 0) {
                    throw bad(file, lines.number(), "is not HASH:COUNT with a " + hashChars + "-digit hash");
                }
                if (linePrefix < prefix) {
                    throw bad(file, lines.number(), "is out of order: the file must be sorted by hash");
                }
                if (linePrefix > prefix) {
                    if (!partial && linePrefix != prefix + 1) {
                        throw gap(file, prefix + 1);
                    }
                    progress.advance(linePrefix - prefix);
                    progress.tick();
                    writer.beginRange(linePrefix);
                    prefix = linePrefix;
                }
                add(writer, file, lines.number(), count);
            }
        }
        if (!partial && prefix != StoreFormat.PREFIXES - 1) {
            throw gap(file, prefix + 1);
        }
    }

    private void fromRangeFiles(Path dir, StoreWriter writer) throws IOException {
        // One listing instead of a million existence checks; two bits a prefix, whatever the directory holds.
        BitSet upper = new BitSet(StoreFormat.PREFIXES);
        BitSet lower = new BitSet(StoreFormat.PREFIXES);
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(file -> {
                String name = file.getFileName().toString();
                if (name.length() == 9 && name.endsWith(".txt")) {
                    int prefix = prefixOf(name.getBytes(StandardCharsets.US_ASCII), 0);
                    if (prefix >= 0) {
                        (name.substring(0, 5).equals(name.substring(0, 5).toUpperCase(Locale.ROOT)) ? upper : lower).set(prefix);
                    }
                }
            });
        }
        byte[] buffer = new byte[64 << 10];
        for (int prefix = 0; prefix < StoreFormat.PREFIXES; prefix++) {
            String name = Hex.prefix(prefix);
            if (!upper.get(prefix) && !lower.get(prefix)) {
                if (!partial) {
                    throw new StoreException(dir.resolve(name + ".txt") + " is missing: the download is incomplete"
                            + " (--partial builds a store of the ranges that are there)");
                }
                continue;
            }
            Path file = dir.resolve((upper.get(prefix) ? name : name.toLowerCase(Locale.ROOT)) + ".txt");
            writer.beginRange(prefix);
            try (InputStream in = Files.newInputStream(file)) {
                LineReader lines = new LineReader(in, MAX_LINE, buffer);
                while (lines.next()) {
                    int count = parseEntry(lines.buffer(), afterBom(lines.buffer(), lines.start(), lines.end()), lines.end());
                    if (count < 0) {
                        throw bad(file, lines.number(), "is not SUFFIX:COUNT with a " + mode.suffixChars() + "-digit suffix");
                    }
                    add(writer, file, lines.number(), count);
                }
            }
            progress.advance(1);
            progress.tick();
        }
    }

    private void add(StoreWriter writer, Path file, long line, int count) {
        if (count == 0) {
            return; // padding, not a breach
        }
        try {
            writer.add(suffix, 0, count);
        } catch (StoreException e) {
            throw bad(file, line, "is out of order or repeated: " + e.getMessage());
        }
    }

    /** Parses {@code SUFFIX:COUNT} at {@code from} into {@link #suffix}; the count, or -1 when malformed. */
    private int parseEntry(byte[] b, int from, int to) {
        return RangeParser.parseLine(b, from, to, mode.suffixChars(), suffix, 0);
    }

    private static int prefixOf(byte[] b, int from) {
        int value = 0;
        for (int i = 0; i < StoreFormat.PREFIX_CHARS; i++) {
            int nibble = Hex.nibble(b[from + i]);
            if (nibble < 0) {
                return -1;
            }
            value = value << 4 | nibble;
        }
        return value;
    }

    // Line numbers only: the content of a line is hash data and stays out of messages.
    private static StoreException bad(Path file, long line, String what) {
        return new StoreException(file + ", line " + line + ": the line " + what);
    }

    private static StoreException gap(Path file, int prefix) {
        return new StoreException(String.format(Locale.ROOT,
                "%s has no hashes for prefix %05X: it looks truncated or incomplete (--partial builds a store of the ranges that are there)",
                file, prefix));
    }
}
