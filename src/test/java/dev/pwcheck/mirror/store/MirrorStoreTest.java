package dev.pwcheck.mirror.store;

import dev.pwcheck.mirror.Progress;
import dev.pwcheck.mirror.cli.MirrorCommand;
import dev.pwcheck.mirror.corpus.CorpusImport;
import dev.pwcheck.hash.Hex;
import dev.pwcheck.format.CompactRange;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.support.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class MirrorStoreTest {

    private static final List<String> PREFIXES = List.of("00000", "00001", "0A1B2", "7FFFF", "FFFFF");

    @TempDir
    Path dir;

    private final Corpus corpus = Corpus.random(42, 40, PREFIXES, 600);

    @Test
    void aStoreImportedFromTheSingleFileAnswersEveryHashWithItsCount() throws IOException {
        MirrorStore store = importPartial(corpus.writeSingleFile(dir.resolve("pwned.txt")), HashMode.SHA1);

        assertEquals(corpus.hashes().size(), store.hashes());
        assertTrue(corpus.hashes().values().stream().anyMatch(count -> count > StoreFormat.MAX_INLINE_COUNT), "the corpus exercises the overflow table");
        corpus.hashes().forEach((hash, count) -> assertEquals(count, countOf(store, hash), "count of a hash"));
    }

    @Test
    void aHashNotInTheCorpusCountsZeroInARangeTheStoreHolds() throws IOException {
        MirrorStore store = importPartial(corpus.writeSingleFile(dir.resolve("pwned.txt")), HashMode.SHA1);
        String absent = "0A1B2" + "F".repeat(35);

        assertFalse(corpus.hashes().containsKey(absent));
        assertTrue(store.holds(0x0A1B2));
        assertEquals(0, countOf(store, absent));
    }

    @Test
    void aPartialStoreHoldsOnlyTheRangesItWasGiven() throws IOException {
        MirrorStore store = importPartial(corpus.writeSingleFile(dir.resolve("pwned.txt")), HashMode.SHA1);

        assertEquals(PREFIXES.size(), store.presentRanges());
        assertTrue(store.holds(0xFFFFF));
        assertFalse(store.holds(0x00002));
    }

    @Test
    void rangeFilesRoundTripToTheSameRanges() throws IOException {
        MirrorStore store = importPartial(corpus.writeRangeFiles(dir.resolve("ranges")), HashMode.SHA1);

        for (Map.Entry<String, String> range : corpus.rangeTexts().entrySet()) {
            assertEquals(range.getValue(), text(store.range(Integer.parseInt(range.getKey(), 16))), "range " + range.getKey());
        }
    }

    @Test
    void theSingleFileAndTheRangeFilesBuildByteIdenticalRecords() throws IOException {
        Path single = importPartialFile(corpus.writeSingleFile(dir.resolve("pwned.txt")), dir.resolve("a"));
        Path ranges = importPartialFile(corpus.writeRangeFiles(dir.resolve("ranges")), dir.resolve("b"));

        byte[] a = Files.readAllBytes(single);
        byte[] b = Files.readAllBytes(ranges);
        // Equal but for the creation time in the header.
        a[StoreFormat.H_CREATED] = b[StoreFormat.H_CREATED];
        for (int i = StoreFormat.H_CREATED; i < StoreFormat.H_CREATED + 8; i++) {
            a[i] = b[i];
        }
        assertArrayEquals(a, b);
    }

    @Test
    void ntlmRangesKeepTheirShorterSuffixes() throws IOException {
        Corpus ntlm = Corpus.random(7, 32, List.of("8846F", "C0FFE"), 300);
        MirrorStore store = importPartial(ntlm.writeRangeFiles(dir.resolve("ntlm")), HashMode.NTLM);

        assertEquals(HashMode.NTLM, store.mode());
        ntlm.hashes().forEach((hash, count) -> assertEquals(count, store.count(Integer.parseInt(hash.substring(0, 5), 16),
                Hex.packSuffix(hash, 5, HashMode.NTLM.suffixChars()))));
        assertEquals(ntlm.rangeTexts().get("C0FFE"), text(store.range(0xC0FFE)));
    }

    @Test
    void aSingleFileWithUnixLineEndingsImportsTheSame() throws IOException {
        Path crlf = corpus.writeSingleFile(dir.resolve("pwned.txt"));
        Path lf = Files.writeString(dir.resolve("pwned-lf.txt"), Files.readString(crlf).replace("\r\n", "\n"));
        MirrorStore store = importPartial(lf, HashMode.SHA1);

        corpus.hashes().forEach((hash, count) -> assertEquals(count, countOf(store, hash)));
    }

    @Test
    void anNtlmSingleFileOfThirtyTwoDigitHashesImports() throws IOException {
        Corpus ntlm = Corpus.random(8, 32, List.of("00000", "8846F"), 200);
        MirrorStore store = importPartial(ntlm.writeSingleFile(dir.resolve("pwnedpasswords_ntlm.txt")), HashMode.NTLM);

        assertEquals(ntlm.hashes().size(), store.hashes());
        assertEquals(ntlm.rangeTexts().get("8846F"), text(store.range(0x8846F)));
    }

    @Test
    void aStoreTakesNineteenBytesAHashBesideItsFixedIndex() throws IOException {
        Path file = importPartialFile(corpus.writeSingleFile(dir.resolve("pwned.txt")), dir.resolve("store"));
        long overflow = corpus.hashes().values().stream().filter(count -> count > StoreFormat.MAX_INLINE_COUNT).count();

        assertEquals(StoreFormat.RECORDS_AT + 19L * corpus.hashes().size() + 8L * overflow, Files.size(file));
    }

    @Test
    void aGapInTheSingleFileIsRefusedAsTruncatedUnlessPartialIsAsked() throws IOException {
        Path input = corpus.writeSingleFile(dir.resolve("pwned.txt"));

        StoreException refused = assertThrows(StoreException.class,
                () -> new CorpusImport(HashMode.SHA1, false, quiet()).run(input, dir.resolve("store").resolve("sha1.pwstore")));
        assertTrue(refused.getMessage().contains("no hashes for prefix 00002"), refused.getMessage());
    }

    @Test
    void aMissingRangeFileIsRefusedAsAnIncompleteDownload() throws IOException {
        Path input = corpus.writeRangeFiles(dir.resolve("ranges"));

        StoreException refused = assertThrows(StoreException.class,
                () -> new CorpusImport(HashMode.SHA1, false, quiet()).run(input, dir.resolve("store").resolve("sha1.pwstore")));
        assertTrue(refused.getMessage().contains("00002.txt is missing"), refused.getMessage());
    }

    @Test
    void anUnsortedFileIsRefusedWithItsLineNumberAndLeavesTheStoreInServiceAlone() throws IOException {
        Path target = importPartialFile(corpus.writeSingleFile(dir.resolve("pwned.txt")), dir.resolve("store"));
        byte[] before = Files.readAllBytes(target);
        List<String> lines = Files.readAllLines(dir.resolve("pwned.txt"));
        String swapped = lines.get(10);
        lines.set(10, lines.get(11));
        lines.set(11, swapped);
        Path unsorted = Files.write(dir.resolve("unsorted.txt"), lines);

        StoreException refused = assertThrows(StoreException.class, () -> new CorpusImport(HashMode.SHA1, true, quiet()).run(unsorted, target));

        assertTrue(refused.getMessage().contains("line 12"), refused.getMessage());
        assertArrayEquals(before, Files.readAllBytes(target));
        assertOnlyFileIn(target.getParent(), "sha1.pwstore");
    }

    @Test
    void aMalformedOrCutLineIsRefusedWithoutQuotingIt() throws IOException {
        Path input = corpus.writeSingleFile(dir.resolve("pwned.txt"));
        String text = Files.readString(input);
        String firstHash = text.substring(0, 40);
        Files.writeString(input, text.substring(0, text.length() - 20)); // cut mid-line, as a truncated copy is

        StoreException refused = assertThrows(StoreException.class,
                () -> new CorpusImport(HashMode.SHA1, true, quiet()).run(input, dir.resolve("store").resolve("sha1.pwstore")));

        assertTrue(refused.getMessage().contains("line " + corpus.hashes().size()), refused.getMessage());
        assertFalse(refused.getMessage().contains(firstHash.substring(5)));
        assertFalse(Files.exists(dir.resolve("store").resolve("sha1.pwstore")));
    }

    @Test
    void aTruncatedStoreIsRefusedWhenOpened() throws IOException {
        Path file = importPartialFile(corpus.writeSingleFile(dir.resolve("pwned.txt")), dir.resolve("store"));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 7);
        }

        StoreException refused = assertThrows(StoreException.class, () -> MirrorStore.open(file, true));
        assertTrue(refused.getMessage().contains("truncated"), refused.getMessage());
    }

    @Test
    void aFlippedBitInTheRecordsIsCaughtByTheChecksum() throws IOException {
        Path file = importPartialFile(corpus.writeSingleFile(dir.resolve("pwned.txt")), dir.resolve("store"));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long at = StoreFormat.RECORDS_AT + 19L * 100 + 3;
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x10);
        }

        StoreException refused = assertThrows(StoreException.class, () -> MirrorStore.open(file, true));
        assertTrue(refused.getMessage().contains("corrupt"), refused.getMessage());
    }

    @Test
    void theCommandLineImportsAndVerifies() throws IOException {
        Path input = corpus.writeSingleFile(dir.resolve("pwned.txt"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int imported = MirrorCommand.run(new String[] { "import", "--dir", dir.resolve("store").toString(), "--from", input.toString(), "--partial" },
                new PrintStream(out, true), new PrintStream(err, true));
        int verified = MirrorCommand.run(new String[] { "verify", "--dir", dir.resolve("store").toString() },
                new PrintStream(out, true), new PrintStream(err, true));

        assertEquals(0, imported, err.toString(StandardCharsets.UTF_8));
        assertEquals(0, verified);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(String.format("%,d hashes in 5 of 1,048,576 ranges", corpus.hashes().size())), out.toString());
    }

    @Test
    void theCommandLineExplainsBadUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = MirrorCommand.run(new String[] { "import", "--dir", dir.toString() }, System.out, new PrintStream(err, true));

        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--from"), err.toString(StandardCharsets.UTF_8));
    }

    private MirrorStore importPartial(Path input, HashMode mode) throws IOException {
        Path target = new CorpusImport(mode, true, quiet()).run(input, dir.resolve("store").resolve(StoreFormat.fileName(mode)));
        return MirrorStore.open(target, true);
    }

    private static Path importPartialFile(Path input, Path storeDir) throws IOException {
        return new CorpusImport(HashMode.SHA1, true, quiet()).run(input, storeDir.resolve("sha1.pwstore"));
    }

    public static Progress quiet() {
        return new Progress("ranges", StoreFormat.PREFIXES, new PrintStream(new ByteArrayOutputStream()), false);
    }

    public static int countOf(MirrorStore store, String hash) {
        return store.count(Integer.parseInt(hash.substring(0, 5), 16), Hex.packSuffix(hash, 5));
    }

    static String text(CompactRange range) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < range.size(); i++) {
            if (i > 0) {
                out.append("\r\n");
            }
            range.appendSuffix(i, out);
            out.append(':').append(range.countAt(i));
        }
        return out.toString();
    }

    private static void assertOnlyFileIn(Path dir, String name) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(name), files.map(f -> f.getFileName().toString()).toList(), "no temporary file is left behind");
        }
    }
}
