package dev.pwcheck.mirror.sync;

import dev.pwcheck.mirror.store.StoreException;
import dev.pwcheck.format.CompactRange;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.format.RangeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The sync writes its store in prefix order whatever order the ranges come in, from memory or from the journal. */
class StoreFrontierTest {

    @TempDir
    Path dir;

    private static CompactRange rangeOf(int prefix) {
        String line = String.format(Locale.ROOT, "%035X:%d", prefix, prefix + 1);
        return new RangeParser(HashMode.SHA1, 1 << 16, 16).parse(line.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void rangesAreWrittenInPrefixOrderWhenMoreComeAheadThanMemoryHolds() throws IOException {
        int last = StoreFrontier.MAX_HELD * 2;
        List<Integer> written = new ArrayList<>();
        try (SyncJournal journal = SyncJournal.open(dir.resolve("journal"), HashMode.SHA1)) {
            StoreFrontier frontier = new StoreFrontier(journal, 0, last, (prefix, entry) -> {
                assertEquals(prefix + 1, entry.range().countAt(0), "the entry of its own prefix, as it was journaled");
                written.add(prefix);
            });
            // Everything but range 0 comes first: more than memory holds, so the rest must come back from the journal.
            for (int prefix = last; prefix >= 1; prefix--) {
                journal.append(prefix, rangeOf(prefix), "\"e" + prefix + "\"");
                frontier.arrived(prefix, new SyncJournal.Entry(rangeOf(prefix), null));
            }
            assertEquals(List.of(), written, "nothing is written before range 0");
            journal.append(0, rangeOf(0), null);
            frontier.arrived(0, new SyncJournal.Entry(rangeOf(0), null));
            frontier.finish();
        }
        assertEquals(last + 1, written.size());
        for (int i = 0; i <= last; i++) {
            assertEquals(i, written.get(i));
        }
    }

    @Test
    void aRangeThatNeverCameIsNamed() throws IOException {
        try (SyncJournal journal = SyncJournal.open(dir.resolve("journal"), HashMode.SHA1)) {
            StoreFrontier frontier = new StoreFrontier(journal, 0, 2, (prefix, entry) -> { });
            journal.append(0, rangeOf(0), null);
            frontier.arrived(0, new SyncJournal.Entry(rangeOf(0), null));
            journal.append(2, rangeOf(2), null);
            frontier.arrived(2, new SyncJournal.Entry(rangeOf(2), null));
            StoreException missing = assertThrows(StoreException.class, frontier::finish);
            assertEquals("range 00001 never arrived", missing.getMessage());
        }
    }
}
