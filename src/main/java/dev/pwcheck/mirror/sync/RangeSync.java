package dev.pwcheck.mirror.sync;

import dev.pwcheck.mirror.Progress;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreException;
import dev.pwcheck.mirror.store.ResumableStoreWriter;
import dev.pwcheck.mirror.store.StoreWriter;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.format.RangeParser;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Downloads every range of a corpus from the upstream into a store: a bounded number of requests at a time
 * ({@link SyncRun}'s workers), each retried with back-off (honouring {@code Retry-After}) on the failures that pass,
 * each answer validated like any upstream answer ({@link RangeFetcher}). Progress goes to a journal as ranges arrive, so a sync that is stopped, killed or fails resumes
 * where it was, fetching no range twice; the store is written as ranges arrive ({@link StoreFrontier}) into a
 * temporary file that takes the store's name only once every range is in.
 *
 * <p>Run on a directory that already holds a store of the same kind, it refreshes it: every range that store holds is
 * asked with {@code If-None-Match} on the ETag it was stored with ({@link EtagIndex}); a 304 keeps the stored range
 * (copied from the old store when the new one is written), a 200 replaces it. The new store is written beside the old
 * one and renamed over it, as always, and a running service swaps it in.
 */
public final class RangeSync {

    /** What a sync is asked to do; {@code first}/{@code last} narrow it to some prefixes (a partial store). */
    public record Settings(URI upstream, HashMode mode, int concurrency, int retries, Duration timeout, int first, int last,
            StoreFormat.Kind kind) {

        Settings(URI upstream, HashMode mode, int concurrency, int retries, Duration timeout, int first, int last) {
            this(upstream, mode, concurrency, retries, timeout, first, last, StoreFormat.Kind.FULL);
        }
    }

    /** Ranges handed over to the store and not yet written, at most: about 40 KB each at today's 1,800 hashes a range. */
    static final int MAX_HANDED_OVER = 1024;
    /** A worker fetches, parses and writes with shallow calls; up to 1,024 of them should not reserve 1 MB each. */
    private static final long WORKER_STACK_BYTES = 512 << 10;
    /**
     * How often this otherwise idle thread pushes the partial store to the device while ranges arrive: the kernel
     * would hold it all in the page cache until the commit, whose sync then waited for every byte of the store.
     */
    private static final long WRITE_BACK_EVERY = TimeUnit.SECONDS.toNanos(1);
    /** Largest range answer read (a real one is about 40 KB); reading stops past it, so a runaway body costs nothing. */
    private static final int MAX_ANSWER_BYTES = 4 << 20;
    private static final String USER_AGENT = "pwcheck-mirror-sync/1.0 (+https://github.com/pwcheck)";

    private final Settings settings;
    private final Progress progress;
    private final PrintStream log;
    private final SyncHttp http;
    private final RangeParser parser;
    private final AtomicInteger changed = new AtomicInteger();
    private final AtomicInteger unchanged = new AtomicInteger();
    /** The store being refreshed; none for a first sync. */
    private RefreshedStore refreshed = RefreshedStore.NONE;
    private long fetchNanos;
    private long writeNanos;

    public RangeSync(Settings settings, Progress progress, PrintStream log) {
        this.settings = settings;
        this.progress = progress;
        this.log = log;
        this.http = new SyncHttp(settings.upstream(), settings.timeout(), MAX_ANSWER_BYTES, USER_AGENT, settings.concurrency());
        this.parser = new RangeParser(settings.mode(), MAX_ANSWER_BYTES, 200_000);
    }

    /** What the last run did, for its summary. */
    public record Summary(int changed, int unchanged, long wireBytes, boolean refresh, Duration fetching, Duration writing) {
    }

    public Summary summary() {
        return new Summary(changed.get(), unchanged.get(), http.wireBytes(), refreshed.present(), Duration.ofNanos(fetchNanos), Duration.ofNanos(writeNanos));
    }

    public Path run(Path dir) throws IOException, InterruptedException {
        try {
            return runIn(dir);
        } finally {
            http.close();
        }
    }

    private Path runIn(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        refreshed = RefreshedStore.in(dir, settings, log);
        if (refreshed.present()) {
            log.printf(Locale.ROOT, "Refreshing %s: %,d ranges have an ETag to ask If-None-Match with%n", refreshed.store().file(), refreshed.etagCount());
        }
        Path journalFile = dir.resolve(".sync-" + settings.mode().wire() + ".journal");
        Path partialFile = dir.resolve(".sync-" + settings.mode().wire() + ".partial");
        try (SyncJournal journal = SyncJournal.open(journalFile, settings.mode());
                ResumableStoreWriter writer = new ResumableStoreWriter(dir.resolve(StoreFormat.fileName(settings.mode())), settings.mode(), settings.kind(), partialFile)) {
            EtagIndex etags = new EtagIndex();
            int frontierStart = takeBack(journal, writer, etags);
            int[] todo = java.util.stream.IntStream.rangeClosed(settings.first(), settings.last()).filter(p -> !journal.has(p)).toArray();
            int wanted = settings.last() - settings.first() + 1;
            progress.resumedWith(wanted - todo.length);
            if (todo.length < wanted) {
                log.printf(Locale.ROOT, "Resuming: %,d of %,d ranges are already in %s and %s%n", wanted - todo.length, wanted, journalFile, partialFile);
            }
            long fetchStart = System.nanoTime();
            StoreFrontier frontier = new StoreFrontier(journal, frontierStart, settings.last(), (prefix, entry) -> {
                etags.put(prefix, entry.etag());
                writer.beginRange(prefix);
                StoreWriter.WrittenRange stored = entry.notModified() ? refreshed.copy(prefix, writer) : writer.addRange(entry.range());
                // From here a resumed sync finds the range in the partial store; the journal keeps only how to check it.
                journal.appendStored(prefix, entry.etag(), stored);
            });
            fetchAll(todo, journal, frontier, writer);
            progress.finish();
            fetchNanos = System.nanoTime() - fetchStart;
            log.println("All ranges fetched; finishing the store");
            long writeStart = System.nanoTime();
            frontier.finish();
            Path written = writer.commit();
            // After the store, never before: ETags newer than the store they sit beside would keep ranges it lacks.
            etags.writeFor(MirrorStore.open(written, false));
            writeNanos = System.nanoTime() - writeStart;
            journal.delete();
            if (refreshed.present()) {
                log.printf(Locale.ROOT, "Refreshed: %,d ranges changed, %,d unchanged (304)%n", changed.get(), unchanged.get());
            }
            return written;
        }
    }

    /**
     * Keeps {@code concurrency} ranges in flight until every one in {@code todo} is in: as many workers, each with
     * its own connection, each fetching the next range not yet taken ({@link RangeFetcher}), parsing it and handing it
     * to the store (one worker at a time writes it, see {@link SyncRun#keep}), and only then taking the next, so a kill
     * never loses more than the ranges in flight and those waiting for the store. This thread only shows progress and syncs the
     * journal to disk now and then: a kill loses nothing the journal was given (the page cache keeps it), so the sync
     * only bounds what a power cut can take, and does so rarely, since every sync of the device stalls the writes of
     * the whole sync behind it (on ext4 every 2 s cost 8-10%).
     */
    private void fetchAll(int[] todo, SyncJournal journal, StoreFrontier frontier, ResumableStoreWriter writer) throws IOException, InterruptedException {
        int workers = Math.min(settings.concurrency(), todo.length);
        SyncRun run = new SyncRun(todo, journal, frontier, workers, settings.concurrency(), progress, changed, unchanged);
        RangeFetcher fetcher = new RangeFetcher(settings, parser, refreshed);
        frontier.advance();
        for (int i = 0; i < workers; i++) {
            Thread worker = new Thread(null, () -> run.work(http, fetcher), "pwcheck-sync-" + i, WORKER_STACK_BYTES);
            worker.setDaemon(true);
            worker.start();
        }
        long lastForce = System.nanoTime();
        long forceEvery = TimeUnit.SECONDS.toNanos(30);
        long lastWriteBack = System.nanoTime();
        while (!run.done.await(250, TimeUnit.MILLISECONDS)) {
            progress.tick();
            if (System.nanoTime() - lastWriteBack > WRITE_BACK_EVERY) {
                writer.writeBack();
                lastWriteBack = System.nanoTime();
            }
            if (System.nanoTime() - lastForce > forceEvery) {
                journal.force();
                lastForce = System.nanoTime();
            }
        }
        if (run.failure != null || run.storeFailure != null) {
            try {
                // Every worker is done: the frontier is this thread's now.
                frontier.saveHeld();
            } catch (IOException e) {
                // Then the next run fetches them again; the reason the sync stopped is what to report.
            }
        }
        journal.force();
        if (run.storeFailure != null) {
            throw run.storeFailure;
        }
        if (run.failure != null) {
            throw new StoreException("sync stopped: " + run.failure + ". " + journal.entries()
                    + " ranges are saved; run the same command again to resume");
        }
    }

    /**
     * Takes back the ranges a stopped run wrote into the partial store, in prefix order from the first, as long as
     * each is there as the journal says (a power cut can lose file data the journal kept); the rest of the partial
     * store is cut off, and ranges past it that the journal has no records of are fetched again.
     *
     * @return the first prefix the store still needs
     */
    private int takeBack(SyncJournal journal, ResumableStoreWriter writer, EtagIndex etags) throws IOException {
        int next = settings.first();
        while (next <= settings.last() && journal.isStored(next)) {
            SyncJournal.Stored stored = journal.stored(next);
            if (!writer.takeBack(next, stored.written())) {
                break;
            }
            etags.put(next, stored.etag());
            next++;
        }
        writer.continueAfterTakenBack();
        int lost = 0;
        for (int p = next; p <= settings.last(); p++) {
            if (journal.isStored(p)) {
                lost += journal.hasRange(p) ? 0 : 1;
                journal.forgetStored(p);
            }
        }
        if (lost > 0) {
            log.printf(Locale.ROOT, "The partial store lacks %,d ranges the journal says it wrote (a power cut?); they are fetched again%n", lost);
        }
        return next;
    }
}
