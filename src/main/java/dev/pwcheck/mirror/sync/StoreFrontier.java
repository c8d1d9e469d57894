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
 * <p>A range that comes ahead of the frontier is held in memory. Up to {@code --concurrency} of them are held
 * unjournalled (answers come out of order, and a range journalled whole would be written twice, once there and once
 * into the store); past that they are journalled and held, up to {@link #MAX_HELD} (one in back-off holds the frontier
 * while later ones keep coming), and past that, and for ranges a resumed sync found in the journal, the frontier reads
 * the range back from the journal when it gets there. Not thread-safe: {@code RangeSync} calls it from one worker at
 * a time (the one writing the store), journalling an early range first once {@link #unsaved()} reaches its limit.
 */
final class StoreFrontier {

    /** Journalled ranges held ahead of the frontier: about 40 KB each at today's 1,800 hashes a range. */
    static final int MAX_HELD = 1024;

    /** What is done with each range as the frontier reaches it (add it, or copy it from the store being refreshed). */
    interface RangeSink {
        void write(int prefix, SyncJournal.Entry entry) throws IOException;
    }

    private final SyncJournal journal;
    private final RangeSink sink;
    private final int last;
    private final Map<Integer, Held> held = new HashMap<>();
    private int next;
    private int unsaved;

    /** A range waiting for the frontier; {@code journaled} is false while only memory has it. */
    private record Held(SyncJournal.Entry entry, boolean journaled) {
    }

    StoreFrontier(SyncJournal journal, int first, int last, RangeSink sink) {
        this.journal = journal;
        this.sink = sink;
        this.last = last;
        this.next = first;
    }

    /** Whether {@code prefix} is the range the store takes next (written at once, so it need not be journalled first). */
    boolean isNext(int prefix) {
        return prefix == next;
    }

    /** Ranges held ahead of the frontier that only memory has: a kill loses them. */
    int unsaved() {
        return unsaved;
    }

    /** A range now in the journal: written at once if the frontier is there, else held or left to the journal. */
    void arrived(int prefix, SyncJournal.Entry entry) throws IOException {
        arrived(prefix, entry, true);
    }

    /**
     * A range that arrived: written at once if the frontier is there, else held. One the journal has ({@code
     * journaled}) is held while memory allows and otherwise read back from the journal later; one it does not have
     * is always held, since nothing else has it.
     */
    void arrived(int prefix, SyncJournal.Entry entry, boolean journaled) throws IOException {
        if (prefix == next) {
            sink.write(prefix, entry);
            next++;
            advance();
        } else if (prefix > next && (!journaled || held.size() < MAX_HELD)) {
            Held before = held.put(prefix, new Held(entry, journaled));
            unsaved += (journaled ? 0 : 1) - (before != null && !before.journaled() ? 1 : 0);
        }
    }

    /** Writes every range the frontier can reach now: held ones, and ones only the journal has. */
    void advance() throws IOException {
        while (next <= last) {
            Held waiting = held.remove(next);
            SyncJournal.Entry entry;
            if (waiting != null) {
                entry = waiting.entry();
                unsaved -= waiting.journaled() ? 0 : 1;
            } else {
                if (!journal.hasRange(next)) {
                    return;
                }
                entry = journal.read(next);
            }
            sink.write(next, entry);
            next++;
        }
    }

    /** A sync that stops journals the ranges only memory holds, so that the next run need not fetch them again. */
    void saveHeld() throws IOException {
        for (Map.Entry<Integer, Held> waiting : held.entrySet()) {
            Held h = waiting.getValue();
            if (!h.journaled()) {
                journal.append(waiting.getKey(), h.entry());
                waiting.setValue(new Held(h.entry(), true));
            }
        }
        unsaved = 0;
    }

    /** Writes what is left; every range must be in the journal by now. */
    void finish() throws IOException {
        advance();
        if (next <= last) {
            throw new StoreException(String.format(Locale.ROOT, "range %05X never arrived", next));
        }
    }
}
