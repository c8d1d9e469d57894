package dev.pwcheck.mirror.store;

import dev.pwcheck.mirror.corpus.CorpusImport;
import dev.pwcheck.mirror.corpus.StoreExport;
import dev.pwcheck.hash.Hex;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.support.Corpus;
import dev.pwcheck.support.DownloaderFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.pwcheck.mirror.store.MirrorStoreTest.quiet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compact store: the first 64 bits of each hash and its count, 7 bytes a hash. */
class CompactStoreTest {

    static final List<String> PREFIXES = List.of("00000", "5BAA6", "8846F", "FFFFF");

    @TempDir
    Path dir;

    private CorpusImport importer(HashMode mode) {
        return new CorpusImport(mode, StoreFormat.Kind.COMPACT, true, quiet());
    }

    private MirrorStore compact(Corpus corpus, HashMode mode) throws IOException {
        Path input = DownloaderFiles.singleFile(corpus, dir.resolve("in-" + mode.wire() + ".txt"), "\n", true);
        return MirrorStore.open(importer(mode).run(input, dir.resolve("compact").resolve(StoreFormat.fileName(mode))), true);
    }

    private static int count(MirrorStore store, String hash) {
        return store.count(Integer.parseInt(hash.substring(0, 5), 16), Hex.packSuffix(hash, 5, store.mode().suffixChars()));
    }

    @Test
    void everyHashIsFoundWithItsCountInSevenBytesAHash() throws IOException {
        Corpus corpus = Corpus.random(21, 40, PREFIXES, 700);
        MirrorStore store = compact(corpus, HashMode.SHA1);

        assertEquals(StoreFormat.Kind.COMPACT, store.kind());
        corpus.hashes().forEach((hash, n) -> assertEquals(n, count(store, hash)));
        long overflow = corpus.hashes().values().stream().filter(n -> n > StoreFormat.MAX_INLINE_COUNT).count();
        assertEquals(StoreFormat.RECORDS_AT + 7L * corpus.hashes().size() + 8L * overflow, Files.size(store.file()),
                "7 bytes a record beside the fixed index");
    }

    @Test
    void ntlmStoresCompactToo() throws IOException {
        Corpus corpus = Corpus.random(22, 32, PREFIXES, 300);
        MirrorStore store = compact(corpus, HashMode.NTLM);

        corpus.hashes().forEach((hash, n) -> assertEquals(n, count(store, hash)));
    }

    @Test
    void aMatchMeansTheFirst64BitsMatch() throws IOException {
        String hash = "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8";
        MirrorStore store = compact(Corpus.empty(40).put(hash, 77), HashMode.SHA1);

        assertEquals(77, count(store, hash));
        assertEquals(77, count(store, hash.substring(0, 16) + "0".repeat(24)), "same first 64 bits: reported as the same hash");
        assertEquals(0, count(store, hash.substring(0, 15) + "0" + hash.substring(16)), "a difference within the first 64 bits");
    }

    @Test
    void hashesSharingTheirFirst64BitsMergeKeepingTheLargerCountAndAreCounted() throws IOException {
        Corpus corpus = Corpus.empty(40)
                .put("5BAA61E4C9B93F3F" + "0".repeat(24), 5)
                .put("5BAA61E4C9B93F3F" + "F".repeat(24), 900)
                .put("5BAA61E4C9B93F40" + "0".repeat(24), 3);
        Path input = DownloaderFiles.singleFile(corpus, dir.resolve("in.txt"), "\n", true);
        CorpusImport run = importer(HashMode.SHA1);
        MirrorStore store = MirrorStore.open(run.run(input, dir.resolve("c").resolve("sha1.pwstore")), true);

        assertEquals(1, run.merged());
        assertEquals(2, store.hashes());
        assertEquals(900, count(store, "5BAA61E4C9B93F3F" + "0".repeat(24)), "never less than any hash it stands for");
        assertEquals(3, count(store, "5BAA61E4C9B93F40" + "0".repeat(24)));
    }

    @Test
    void aCompactStoreServesNoRangesAndCannotBeExported() throws IOException {
        MirrorStore store = compact(Corpus.random(23, 40, PREFIXES, 50), HashMode.SHA1);

        assertNull(store.range(0x5BAA6));
        StoreException refused = assertThrows(StoreException.class, () -> new StoreExport(store, quiet()));
        assertTrue(refused.getMessage().contains("compact"), refused.getMessage());
    }

    @Test
    void aFullAndACompactImportOfTheSameFileAgreeOnEveryHash() throws IOException {
        Corpus corpus = Corpus.random(24, 40, PREFIXES, 400);
        Path input = DownloaderFiles.singleFile(corpus, dir.resolve("in.txt"), "\r\n", true);
        MirrorStore full = MirrorStore.open(new CorpusImport(HashMode.SHA1, true, quiet()).run(input, dir.resolve("f").resolve("sha1.pwstore")), true);
        MirrorStore compact = MirrorStore.open(importer(HashMode.SHA1).run(input, dir.resolve("c").resolve("sha1.pwstore")), true);

        corpus.hashes().forEach((hash, n) -> assertEquals(count(full, hash), count(compact, hash)));
        assertEquals(full.hashes(), compact.hashes());
        assertTrue(Files.size(compact.file()) < Files.size(full.file()));
    }
}
