package dev.pwcheck.mirror;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a full store back out in the downloader's text format, for other tools: one file of
 * {@code PREFIXSUFFIX:COUNT} lines (LF, sorted), or a directory of {@code PREFIX.txt} range files holding
 * {@code SUFFIX:COUNT} lines as the range API sends them (CRLF between lines, none after the last). No byte order
 * mark. Output goes to a temporary name beside the target and is renamed into place only when complete, so a failed
 * export leaves nothing behind and never a half file under the target's name.
 */
final class StoreExport {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final MirrorStore store;
    private final Progress progress;
    private final byte[] suffix;
    private final byte[] line = new byte[128];

    StoreExport(MirrorStore store, Progress progress) {
        if (store.kind() != StoreFormat.Kind.FULL) {
            throw new StoreException(store.file() + " is a compact store: it keeps only the first 64 bits of each hash"
                    + " and cannot be written back out; export the full store it was built from");
        }
        this.store = store;
        this.progress = progress;
        this.suffix = new byte[store.mode().suffixBytes()];
    }

    /** One sorted file of {@code HASH:COUNT} lines. */
    void toFile(Path target) throws IOException {
        Path file = target.toAbsolutePath();
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Files.createDirectories(file.getParent());
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW), 1 << 20)) {
                for (int prefix = 0; prefix < StoreFormat.PREFIXES; prefix++) {
                    if (store.holds(prefix)) {
                        for (long record = store.rangeStart(prefix); record < store.rangeStart(prefix + 1); record++) {
                            int at = hex(prefix, StoreFormat.PREFIX_CHARS, 0);
                            at = entry(record, at);
                            line[at++] = '\n';
                            out.write(line, 0, at);
                        }
                    }
                    progress.advance(1);
                    progress.tick();
                }
            }
            durable(temp);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            StoreWriter.syncDirectory(file.getParent());
            progress.finish();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A new directory of {@code PREFIX.txt} files, one per range the store holds; the target must not exist yet or be empty. */
    void toRanges(Path target) throws IOException {
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
            for (int prefix = 0; prefix < StoreFormat.PREFIXES; prefix++) {
                if (store.holds(prefix)) {
                    String name = String.format(java.util.Locale.ROOT, "%05X.txt", prefix);
                    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp.resolve(name), StandardOpenOption.CREATE_NEW), 64 << 10)) {
                        for (long record = store.rangeStart(prefix); record < store.rangeStart(prefix + 1); record++) {
                            int at = 0;
                            if (record > store.rangeStart(prefix)) {
                                line[at++] = '\r';
                                line[at++] = '\n';
                            }
                            at = entry(record, at);
                            out.write(line, 0, at);
                        }
                    }
                }
                progress.advance(1);
                progress.tick();
            }
            Files.deleteIfExists(dir); // empty, as checked above
            Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
            StoreWriter.syncDirectory(dir.getParent());
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

    /** Writes {@code SUFFIX:COUNT} of {@code record} into {@link #line} at {@code at}; returns the end. */
    private int entry(long record, int at) {
        store.suffixAt(record, suffix);
        int chars = store.mode().suffixChars();
        for (int i = 0; i < chars; i++) {
            int b = suffix[i >>> 1] & 0xFF;
            line[at++] = HEX[(i & 1) == 0 ? b >>> 4 : b & 0x0F];
        }
        line[at++] = ':';
        String count = Integer.toString(store.countAt(record));
        for (int i = 0; i < count.length(); i++) {
            line[at++] = (byte) count.charAt(i);
        }
        return at;
    }

    private int hex(int value, int digits, int at) {
        for (int i = digits - 1; i >= 0; i--) {
            line[at + i] = HEX[value & 0xF];
            value >>>= 4;
        }
        return at + digits;
    }

    private static void durable(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }
}
