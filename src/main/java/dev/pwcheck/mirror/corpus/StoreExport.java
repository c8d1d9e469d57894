package dev.pwcheck.mirror.corpus;

import dev.pwcheck.hash.Hex;
import dev.pwcheck.mirror.Progress;
import dev.pwcheck.mirror.store.StoreFiles;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreException;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.mirror.store.StoreWriter;
import dev.pwcheck.format.CompactRange;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Writes a full store back out in the downloader's text format, for other tools: one file of
 * {@code PREFIXSUFFIX:COUNT} lines (LF, sorted), or a directory of {@code PREFIX.txt} range files holding
 * {@code SUFFIX:COUNT} lines as the range API sends them (CRLF between lines, none after the last). No byte order
 * mark. Output goes to a temporary name beside the target and is renamed into place only when complete, so a failed
 * export leaves nothing behind and never a half file under the target's name.
 */
public final class StoreExport {

    private final MirrorStore store;
    private final Progress progress;

    public StoreExport(MirrorStore store, Progress progress) {
        if (store.kind() != StoreFormat.Kind.FULL) {
            throw new StoreException(store.file() + " is a compact store: it keeps only the first 64 bits of each hash"
                    + " and cannot be written back out; export the full store it was built from");
        }
        this.store = store;
        this.progress = progress;
    }

    /** One sorted file of {@code HASH:COUNT} lines. */
    public void toFile(Path target) throws IOException {
        Path file = target.toAbsolutePath();
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Files.createDirectories(file.getParent());
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW), 1 << 20)) {
                StringBuilder lines = new StringBuilder();
                for (int prefix = 0; prefix < StoreFormat.PREFIXES; prefix++) {
                    CompactRange range = store.range(prefix);
                    if (range != null) {
                        String name = Hex.prefix(prefix);
                        lines.setLength(0);
                        for (int i = 0; i < range.size(); i++) {
                            lines.append(name);
                            entry(range, i, lines).append('\n');
                        }
                        out.write(lines.toString().getBytes(StandardCharsets.US_ASCII));
                    }
                    progress.advance(1);
                    progress.tick();
                }
            }
            durable(temp);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            StoreFiles.syncDirectory(file.getParent());
            progress.finish();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A new directory of {@code PREFIX.txt} files, one per range the store holds; the target must not exist yet or be empty. */
    public void toRanges(Path target) throws IOException {
        Path dir = target.toAbsolutePath();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new StoreException(dir + " is not empty: export range files into a new or empty directory");
                }
            }
        } else if (Files.exists(dir)) {
            throw new StoreException(dir + " exists and is not a directory");
        }
        Files.createDirectories(dir.getParent());
        Path temp = dir.resolveSibling("." + dir.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Files.createDirectory(temp);
        try {
            StringBuilder body = new StringBuilder();
            for (int prefix = 0; prefix < StoreFormat.PREFIXES; prefix++) {
                CompactRange range = store.range(prefix);
                if (range != null) {
                    body.setLength(0);
                    for (int i = 0; i < range.size(); i++) {
                        entry(range, i, i > 0 ? body.append("\r\n") : body);
                    }
                    Files.write(temp.resolve(String.format(Locale.ROOT, "%05X.txt", prefix)), body.toString().getBytes(StandardCharsets.US_ASCII),
                            StandardOpenOption.CREATE_NEW);
                }
                progress.advance(1);
                progress.tick();
            }
            Files.deleteIfExists(dir); // empty, as checked above
            Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
            StoreFiles.syncDirectory(dir.getParent());
            progress.finish();
        } finally {
            if (Files.exists(temp)) {
                try (Stream<Path> leftovers = Files.walk(temp)) {
                    for (Path path : leftovers.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        }
    }

    /** Appends {@code SUFFIX:COUNT} of entry {@code i}, as the range API writes it. */
    private static StringBuilder entry(CompactRange range, int i, StringBuilder out) {
        range.appendSuffix(i, out);
        return out.append(':').append(range.countAt(i));
    }

    private static void durable(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }
}
