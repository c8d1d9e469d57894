package dev.pwcheck.mirror.sync;

import dev.pwcheck.mirror.store.StoreException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a sync's store while its ranges are still arriving: each range goes into the
 * {@link dev.pwcheck.mirror.store.StoreWriter} as soon as every range before it is in, so that when the last one comes the store needs only its index and a sync. (Written
 * after the fetch, the store took a core for seconds while the other stood idle, and read every range back from the
 * journal.)
 *
 * <p>A range that comes ahead of the frontier is held in memory, up to {@link #MAX_HELD} of them (one in back-off
 * holds the frontier while later ones keep coming); past that, and for ranges a resumed sync found in the journal,
 * the frontier reads the range back from the journal when it gets there. Not thread-safe: {@code RangeSync} calls it
 * under one lock, with the journal append before it, so ranges go in one at a time.
 */
final class StoreFrontier {

    /** Ranges held ahead of the frontier: about 40 KB each at today's 1,800 hashes a range. */
    static final int MAX_HELD = 1024;

    /** What is done with each range as the frontier reaches it (add it, or copy it from the store being refreshed). */
    interface RangeSink {
        void write(int prefix, SyncJournal.Entry entry) throws IOException;
    }

    private final SyncJournal journal;
    private final RangeSink sink;
    private final int last;
    private final Map<Integer, SyncJournal.Entry> held = new HashMap<>();
    private int next;

    StoreFrontier(SyncJournal journal, int first, int last, RangeSink sink) {
        this.journal = journal;
        this.sink = sink;
        this.last = last;
        this.next = first;
    }

    /** A range now in the journal: written at once if the frontier is there, else held or left to the journal. */
    void arrived(int prefix, SyncJournal.Entry entry) throws IOException {
        if (prefix == next) {
            sink.write(prefix, entry);
            next++;
            advance();
        } else if (prefix > next && held.size() < MAX_HELD) {
            held.put(prefix, entry);
        }
    }

    /** Writes every range the frontier can reach now: held ones, and ones only the journal has. */
    void advance() throws IOException {
        while (next <= last) {
            SyncJournal.Entry entry = held.remove(next);
            if (entry == null) {
                if (!journal.has(next)) {
                    return;
                }
                entry = journal.read(next);
            }
            sink.write(next, entry);
            next++;
        }
    }

    /** Writes what is left; every range must be in the journal by now. */
    void finish() throws IOException {
        advance();
        if (next <= last) {
            throw new StoreException(String.format(Locale.ROOT, "range %05X never arrived", next));
        }
    }
}
