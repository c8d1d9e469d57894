package dev.pwcheck.mirror.sync;

import dev.pwcheck.mirror.Progress;
import dev.pwcheck.mirror.store.StoreException;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One fetch of a list of ranges by its workers: what is taken, which workers are still at it, the ranges handed over
 * to the one worker writing the store, and why the run stopped, if it did.
 */
final class SyncRun {

    final int[] todo;
    final SyncJournal journal;
    final StoreFrontier frontier;
    final AtomicInteger issued = new AtomicInteger();
    /**
     * Parses at a time, one a core: more only queue for the cores, and starve the one worker writing the store
     * (and, on a shared machine, a local upstream) of them.
     */
    final Semaphore parsing = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));
    /** Ranges handed over to the worker writing the store, in the order they came; guarded by itself. */
    final ArrayDeque<Arrival> handedOver = new ArrayDeque<>();
    /** Whether a worker is writing the store (the frontier is that worker's alone meanwhile); guarded by {@link #handedOver}. */
    boolean writing;
    /** Workers waiting for room to hand a range over; guarded by {@link #handedOver}. */
    int waitingForRoom;
    final CountDownLatch done;
    /** Opened by a stopping sync: no range is taken after it, and retries waiting out a back-off are not made. */
    final CountDownLatch stopped = new CountDownLatch(1);
    volatile String failure;
    volatile StoreException storeFailure;
    private final int concurrency;
    private final Progress progress;
    private final AtomicInteger changed;
    private final AtomicInteger unchanged;

    /** @param concurrency how many ranges that came early the frontier holds in memory before they are journalled whole */
    SyncRun(int[] todo, SyncJournal journal, StoreFrontier frontier, int workers, int concurrency, Progress progress,
            AtomicInteger changed, AtomicInteger unchanged) {
        this.todo = todo;
        this.journal = journal;
        this.frontier = frontier;
        this.done = new CountDownLatch(workers);
        this.concurrency = concurrency;
        this.progress = progress;
        this.changed = changed;
        this.unchanged = unchanged;
    }

    boolean stopping() {
        return stopped.getCount() == 0;
    }

    /** A worker: the next range not yet taken, until none is left or the sync stops. */
    void work(SyncHttp http, RangeFetcher fetcher) {
        try (SyncConnection connection = http.connection()) {
            int next;
            while (!stopping() && (next = issued.getAndIncrement()) < todo.length) {
                fetcher.fetch(this, connection, todo[next]);
            }
        } catch (InterruptedException e) {
            stop("interrupted", null);
        } catch (RuntimeException | Error e) {
            // Not an upstream's doing (those are handled where they are read): stop rather than hang on this range.
            stop("an unexpected failure (" + SyncHttp.describe(e) + ")", null);
        } finally {
            done.countDown();
        }
    }

    void stop(String failure, StoreException storeFailure) {
        synchronized (this) {
            if (this.failure == null && this.storeFailure == null) {
                this.failure = failure;
                this.storeFailure = storeFailure;
            }
        }
        // Retries waiting out a back-off are not made: the ranges in them are fetched by the next run.
        stopped.countDown();
        synchronized (handedOver) {
            handedOver.notifyAll();
        }
    }

    /**
     * Hands a fetched range to the store. One worker at a time writes the store: the one that finds no other doing
     * so writes its range and every range the others hand over meanwhile, and they go back to fetching at once
     * instead of waiting for its writes (with a lock held across the writes, a third of the workers waited and the
     * cores went idle by turns). The writer gets only its share of the cores, so the others outrun it in bursts: up
     * to {@link RangeSync#MAX_HANDED_OVER} ranges wait to be written, and past that a worker waits for room. A kill loses the
     * ranges in flight, those handed over, and those the frontier holds in memory only ({@link #write}).
     */
    void keep(int prefix, SyncJournal.Entry entry) throws InterruptedException {
        (entry.notModified() ? unchanged : changed).incrementAndGet();
        progress.advance(1);
        synchronized (handedOver) {
            while (writing && handedOver.size() >= RangeSync.MAX_HANDED_OVER && !stopping()) {
                waitingForRoom++;
                try {
                    handedOver.wait();
                } finally {
                    waitingForRoom--;
                }
            }
            handedOver.addLast(new Arrival(prefix, entry));
            if (writing) {
                return;
            }
            writing = true;
        }
        writeHandedOver();
    }

    /** Writes ranges handed over until there are none; the frontier is this worker's alone meanwhile. */
    private void writeHandedOver() {
        try {
            while (true) {
                Arrival next;
                synchronized (handedOver) {
                    next = handedOver.pollFirst();
                    if (waitingForRoom > 0) {
                        handedOver.notify(); // one range out: room for one in
                    }
                    if (next == null) {
                        writing = false;
                        return;
                    }
                }
                write(next);
            }
        } catch (IOException e) {
            stop("cannot write the journal: " + e.getMessage(), null);
        } catch (StoreException e) {
            stop(null, e);
        }
        synchronized (handedOver) {
            // The store failed: what is still handed over is dropped (the next run fetches it), and no one writes.
            handedOver.clear();
            handedOver.notifyAll();
        }
    }

    /**
     * Into the store through the frontier. The next range goes straight in (and is then journalled as stored); one
     * that came early waits in memory, up to {@code --concurrency} of them, and past that is journalled whole first.
     */
    private void write(Arrival arrival) throws IOException {
        boolean journalNow = !frontier.isNext(arrival.prefix()) && frontier.unsaved() >= concurrency;
        if (journalNow) {
            journal.append(arrival.prefix(), arrival.entry());
        }
        frontier.arrived(arrival.prefix(), arrival.entry(), journalNow);
    }

    /** A parsed range handed over to the store. */
    private record Arrival(int prefix, SyncJournal.Entry entry) {
    }
}
