package dev.pwcheck.mirror.store;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.mirror.corpus.CorpusImport;
import dev.pwcheck.support.Corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store file as it may be found on disk after a bad copy, a bad disk or a hand: a valid full, compact or filter store
 * with bytes changed and perhaps cut short. Opened with its checks, it is refused with a {@link StoreException} or
 * answers every range it says it holds, nothing else. The input is the damage: 4 bytes an edit (3 of offset, 1 of
 * value); an odd length also cuts the file at the last offset.
 */
class StoreFileFuzzTest {

    static final List<String> PREFIXES = List.of("00000", "0A1B2", "5BAA6", "FFFFF");
    static final Path DIR;
    static final Path[] VALID;

    static {
        try {
            DIR = Files.createTempDirectory("pwcheck-store-fuzz");
            DIR.toFile().deleteOnExit();
            Corpus corpus = Corpus.random(42, 40, PREFIXES, 300);
            Path input = corpus.writeSingleFile(DIR.resolve("pwned.txt"));
            VALID = new Path[3];
            int i = 0;
            for (StoreFormat.Kind kind : new StoreFormat.Kind[] { StoreFormat.Kind.FULL, StoreFormat.Kind.COMPACT }) {
                VALID[i++] = new CorpusImport(HashMode.SHA1, kind, true, MirrorStoreTest.quiet()).run(input, DIR.resolve(kind.wire() + ".pwstore"));
            }
            // A filter is built over the whole corpus: every range, most of them empty.
            FilterStores.write(corpus.hashes(), DIR.resolve("filter"), 1);
            VALID[2] = DIR.resolve("filter").resolve("sha1.pwstore");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void damagedStore(byte[] damage) throws IOException {
        Path valid = VALID[damage.length == 0 ? 0 : (damage[0] & 0xff) % 3];
        byte[] file = Files.readAllBytes(valid);
        int last = 0;
        for (int at = 1; at + 3 < damage.length; at += 4) {
            last = ((damage[at] & 0xff) << 16 | (damage[at + 1] & 0xff) << 8 | (damage[at + 2] & 0xff)) % file.length;
            file[last] = damage[at + 3];
        }
        if (damage.length % 2 == 1) {
            file = java.util.Arrays.copyOf(file, last);
        }
        Path damaged = Files.createTempFile(DIR, "damaged", ".pwstore");
        try {
            Files.write(damaged, file);
            MirrorStore store;
            try {
                store = MirrorStore.open(damaged, true);
            } catch (StoreException refused) {
                assertTrue(refused.getMessage().length() < 400, "a refusal says what is wrong in a line");
                return;
            }
            byte[] suffix = new byte[HashMode.SHA1.suffixBytes()];
            for (int prefix = 0; prefix < StoreFormat.PREFIXES; prefix++) {
                if (store.holds(prefix)) {
                    store.count(prefix, suffix);
                    if (store.kind() == StoreFormat.Kind.FULL) {
                        store.range(prefix);
                    }
                }
            }
        } finally {
            Files.deleteIfExists(damaged);
        }
    }
}
