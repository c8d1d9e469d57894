package dev.pwcheck.mirror.corpus;

import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreException;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.hash.Hex;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.support.Corpus;
import dev.pwcheck.support.DownloaderFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.pwcheck.mirror.store.MirrorStoreTest.quiet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Import of the files HIBP's downloader really writes (see {@link DownloaderFiles} for their exact bytes), and export back. */
class DownloaderImportTest {

    static final List<String> PREFIXES = List.of("00000", "00001", "5BAA6", "8846F", "FFFFF");

    @TempDir
    Path dir;

    final Corpus sha1 = Corpus.random(11, 40, PREFIXES, 500);
    final Corpus ntlm = Corpus.random(12, 32, PREFIXES, 400);

    private MirrorStore imported(Path input, HashMode mode) throws IOException {
        Path target = new CorpusImport(mode, true, quiet()).run(input, dir.resolve("store-" + input.getFileName()).resolve(StoreFormat.fileName(mode)));
        return MirrorStore.open(target, true);
    }

    private static void assertHolds(Corpus corpus, MirrorStore store) {
        assertEquals(corpus.hashes().size(), store.hashes());
        int suffixChars = store.mode().suffixChars();
        corpus.hashes().forEach((hash, count) -> assertEquals(count,
                store.count(Integer.parseInt(hash.substring(0, 5), 16), Hex.packSuffix(hash, 5, suffixChars)), hash.substring(0, 5)));
    }

    @Test
    void theSingleFileWithAByteOrderMarkBeforeEveryRangeImportsWithLinuxNewlines() throws IOException {
        Path file = DownloaderFiles.singleFile(sha1, dir.resolve("pwnedpasswords.txt"), "\n", true);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(0xEF, bytes[0] & 0xFF, "the fixture starts with the mark, as the downloader's file does");

        assertHolds(sha1, imported(file, HashMode.SHA1));
    }

    @Test
    void theSingleFileWithAByteOrderMarkBeforeEveryRangeImportsWithWindowsNewlines() throws IOException {
        assertHolds(sha1, imported(DownloaderFiles.singleFile(sha1, dir.resolve("pwnedpasswords.txt"), "\r\n", true), HashMode.SHA1));
    }

    @Test
    void theNtlmSingleFileWithByteOrderMarksImports() throws IOException {
        assertHolds(ntlm, imported(DownloaderFiles.singleFile(ntlm, dir.resolve("pwnedpasswords_ntlm.txt"), "\r\n", true), HashMode.NTLM));
    }

    @Test
    void aSingleFileWithoutByteOrderMarksImportsToo() throws IOException {
        assertHolds(sha1, imported(DownloaderFiles.singleFile(sha1, dir.resolve("pwnedpasswords.txt"), "\n", false), HashMode.SHA1));
    }

    @Test
    void rangeFilesCopiedFromTheApiImportForBothCorpora() throws IOException {
        assertHolds(sha1, imported(DownloaderFiles.rangeFiles(sha1, dir.resolve("ranges")), HashMode.SHA1));
        assertHolds(ntlm, imported(DownloaderFiles.rangeFiles(ntlm, dir.resolve("ranges-ntlm")), HashMode.NTLM));
    }

    @Test
    void mixedNewlinesAndLowercaseHexImport() throws IOException {
        Path file = DownloaderFiles.singleFile(sha1, dir.resolve("pwnedpasswords.txt"), "\n", true);
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        StringBuilder mixed = new StringBuilder();
        int line = 0;
        for (String part : text.split("\n", -1)) {
            if (line > 0) {
                mixed.append(line % 3 == 0 ? "\r\n" : "\n");
            }
            mixed.append(line % 2 == 0 ? part.toLowerCase(java.util.Locale.ROOT) : part);
            line++;
        }
        Path messy = Files.write(dir.resolve("mixed.txt"), mixed.toString().getBytes(StandardCharsets.UTF_8));

        assertHolds(sha1, imported(messy, HashMode.SHA1));
    }

    @Test
    void aByteOrderMarkInsideALineIsAMalformedLineNamedByNumberOnly() throws IOException {
        Path file = DownloaderFiles.singleFile(sha1, dir.resolve("pwnedpasswords.txt"), "\n", false);
        List<String> lines = Files.readAllLines(file);
        String victim = lines.get(6);
        lines.set(6, victim.substring(0, 10) + "\uFEFF" + victim.substring(10));
        Files.write(file, lines);
        Path target = dir.resolve("store").resolve("sha1.pwstore");

        StoreException refused = assertThrows(StoreException.class, () -> new CorpusImport(HashMode.SHA1, true, quiet()).run(file, target));
        assertTrue(refused.getMessage().contains("line 7"), refused.getMessage());
        assertFalse(refused.getMessage().contains(victim.substring(5, 20)), "never the line's content");
        assertFalse(Files.exists(target));
        try (Stream<Path> left = Files.list(target.getParent())) {
            assertEquals(0, left.count(), "no temporary file is left behind");
        }
    }

    @Test
    void importExportImportGivesAnIdenticalStoreFromTheSingleFile() throws IOException {
        MirrorStore first = imported(DownloaderFiles.singleFile(sha1, dir.resolve("in.txt"), "\r\n", true), HashMode.SHA1);
        Path exported = dir.resolve("out").resolve("pwnedpasswords.txt");
        new StoreExport(first, quiet()).toFile(exported);

        String text = Files.readString(exported);
        assertFalse(text.startsWith("\uFEFF"), "no byte order mark");
        assertTrue(text.lines().allMatch(l -> l.matches("[0-9A-F]{40}:[1-9][0-9]*")), "HASH:COUNT lines");
        assertSameRecords(first, imported(exported, HashMode.SHA1));
        assertOnly(exported.getParent(), "pwnedpasswords.txt");
    }

    @Test
    void importExportImportGivesAnIdenticalStoreFromRangeFiles() throws IOException {
        MirrorStore first = imported(DownloaderFiles.rangeFiles(ntlm, dir.resolve("ranges")), HashMode.NTLM);
        Path exported = dir.resolve("exported-ranges");
        new StoreExport(first, quiet()).toRanges(exported);

        for (String prefix : PREFIXES) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("ranges").resolve(prefix + ".txt")), Files.readAllBytes(exported.resolve(prefix + ".txt")),
                    "the range file as the API sends it, byte for byte");
        }
        assertSameRecords(first, imported(exported, HashMode.NTLM));
        assertOnly(dir, "ranges", "exported-ranges", "store-ranges", "store-exported-ranges");
    }

    @Test
    void exportRefusesATargetDirectoryThatIsNotEmptyAndLeavesNothingBehind() throws IOException {
        MirrorStore store = imported(DownloaderFiles.rangeFiles(sha1, dir.resolve("ranges")), HashMode.SHA1);

        StoreException refused = assertThrows(StoreException.class, () -> new StoreExport(store, quiet()).toRanges(dir.resolve("ranges")));
        assertTrue(refused.getMessage().contains("not empty"), refused.getMessage());
        assertOnly(dir, "ranges", "store-ranges");
    }

    /** The same store but for its creation time. */
    static void assertSameRecords(MirrorStore a, MirrorStore b) throws IOException {
        byte[] x = Files.readAllBytes(a.file());
        byte[] y = Files.readAllBytes(b.file());
        for (int i = StoreFormat.H_CREATED; i < StoreFormat.H_CREATED + 8; i++) {
            x[i] = y[i];
        }
        assertArrayEquals(x, y);
    }

    private static void assertOnly(Path dir, String... names) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(Stream.of(names).sorted().toList(), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }
}
