package dev.pwcheck.mirror.corpus;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.mirror.Progress;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreException;
import dev.pwcheck.mirror.store.StoreFormat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What HIBP's downloader wrote, as any bytes in its single-file form (HASH:COUNT lines), imported with --partial as a
 * full or a compact store, SHA-1 or NTLM (the first byte says which): a store that opens with every checksum right and
 * holds no more hashes than the file has lines, or a refusal as a StoreException whose message names a line, never
 * quotes it; nothing else.
 */
class DownloaderFileFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void downloaderFile(byte[] data) throws IOException {
        HashMode mode = data.length > 0 && (data[0] & 1) == 1 ? HashMode.NTLM : HashMode.SHA1;
        StoreFormat.Kind kind = data.length > 0 && (data[0] & 2) == 2 ? StoreFormat.Kind.COMPACT : StoreFormat.Kind.FULL;
        Path dir = Files.createTempDirectory("pwcheck-import-fuzz");
        Path input = dir.resolve("pwnedpasswords.txt");
        Path target = dir.resolve(StoreFormat.fileName(mode));
        try {
            Files.write(input, data);
            // A progress of its own, as each command has: one shared by every input ran past its total.
            Progress quiet = new Progress("ranges", StoreFormat.PREFIXES, new PrintStream(OutputStream.nullOutputStream()), false);
            Path written = new CorpusImport(mode, kind, true, quiet).run(input, target);
            MirrorStore store = MirrorStore.open(written, true);
            long lines = 1;
            for (byte b : data) {
                lines += b == '\n' || b == '\r' ? 1 : 0;
            }
            assertTrue(store.hashes() <= lines, store.hashes() + " hashes from " + lines + " lines");
            assertTrue(store.kind() == kind && store.mode() == mode);
        } catch (StoreException refused) {
            String message = refused.getMessage().replace(input.toString(), "FILE");
            assertTrue(message.length() < 300 && message.chars().allMatch(c -> c >= 0x20 && c < 0x7f), message);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
