package dev.pwcheck.mirror.sync;

import dev.pwcheck.hash.Hex;
import dev.pwcheck.mirror.Progress;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreException;
import dev.pwcheck.mirror.store.StoreWriter;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.format.RangeParser;
import dev.pwcheck.format.RangeFormatException;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Downloads every range of a corpus from the upstream into a store: a bounded number of requests at a time, each
 * retried with back-off (honouring {@code Retry-After}) on the failures that pass, each answer validated like any
 * upstream answer. Progress goes to a journal as ranges arrive, so a sync that is stopped, killed or fails resumes
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

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
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
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);
    private static final String USER_AGENT = "pwcheck-mirror-sync/1.0 (+https://github.com/pwcheck)";

    private final Settings settings;
    private final Progress progress;
    private final PrintStream log;
    private final SyncHttp http;
    private final RangeParser parser;
    private final AtomicInteger changed = new AtomicInteger();
    private final AtomicInteger unchanged = new AtomicInteger();
    /** The store being refreshed and its ETags; null and empty for a first sync. */
    private MirrorStore previous;
    private EtagIndex previousEtags = new EtagIndex();
    private long fetchNanos;
    private long writeNanos;

    public RangeSync(Settings settings, Progress progress, PrintStream log) {
        this.settings = settings;
        this.progress = progress;
        this.log = log;
        this.http = new SyncHttp(settings.upstream(), settings.timeout(), MAX_ANSWER_BYTES, USER_AGENT);
        this.parser = new RangeParser(settings.mode(), MAX_ANSWER_BYTES, 200_000);
    }

    /** What the last run did, for its summary. */
    public record Summary(int changed, int unchanged, long wireBytes, boolean refresh, Duration fetching, Duration writing) {
    }

    public Summary summary() {
        return new Summary(changed.get(), unchanged.get(), http.wireBytes(), previous != null, Duration.ofNanos(fetchNanos), Duration.ofNanos(writeNanos));
    }

    public Path run(Path dir) throws IOException, InterruptedException {
        try {
            return runIn(dir);
        } finally {
            http.close();
        }
    }

    /** The store to refresh in {@code dir}: one of the same corpus and kind that opens and checks clean, else null. */
    private MirrorStore refreshable(Path dir) {
        Path existing = dir.resolve(StoreFormat.fileName(settings.mode()));
        if (!Files.isRegularFile(existing)) {
            return null;
        }
        try {
            MirrorStore store = MirrorStore.open(existing, true);
            if (store.mode() != settings.mode() || store.kind() != settings.kind() || store.subset()) {
                log.println("The store in " + dir + " is of another kind; this sync fetches every range whole");
                return null;
            }
            return store;
        } catch (StoreException e) {
            log.println("The store in " + dir + " cannot be refreshed (" + e.getMessage() + "); this sync fetches every range whole");
            return null;
        }
    }

    private Path runIn(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        previous = refreshable(dir);
        if (previous != null) {
            previousEtags = EtagIndex.readFor(previous);
            log.printf(Locale.ROOT, "Refreshing %s: %,d ranges have an ETag to ask If-None-Match with%n", previous.file(), previousEtags.entries());
        }
        Path journalFile = dir.resolve(".sync-" + settings.mode().wire() + ".journal");
        Path partialFile = dir.resolve(".sync-" + settings.mode().wire() + ".partial");
        try (SyncJournal journal = SyncJournal.open(journalFile, settings.mode());
                StoreWriter writer = StoreWriter.resumable(dir.resolve(StoreFormat.fileName(settings.mode())), settings.mode(), settings.kind(), partialFile)) {
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
                StoreWriter.WrittenRange stored = entry.notModified() ? copyPrevious(prefix, writer) : writer.addRange(entry.range());
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
            if (previous != null) {
                log.printf(Locale.ROOT, "Refreshed: %,d ranges changed, %,d unchanged (304)%n", changed.get(), unchanged.get());
            }
            return written;
        }
    }

    /**
     * Keeps {@code concurrency} ranges in flight until every one in {@code todo} is in: as many workers, each with
     * its own connection, each fetching the next range not yet taken, parsing it and handing it to the store (one
     * worker at a time writes it, see {@link #keep}), and only then taking the next, so a kill never loses more than
     * the ranges in flight and those waiting for the store. This thread only shows progress and syncs the
     * journal to disk now and then: a kill loses nothing the journal was given (the page cache keeps it), so the sync
     * only bounds what a power cut can take, and does so rarely, since every sync of the device stalls the writes of
     * the whole sync behind it (on ext4 every 2 s cost 8-10%).
     */
    private void fetchAll(int[] todo, SyncJournal journal, StoreFrontier frontier, StoreWriter writer) throws IOException, InterruptedException {
        int workers = Math.min(settings.concurrency(), todo.length);
        Run run = new Run(todo, journal, frontier, workers);
        frontier.advance();
        for (int i = 0; i < workers; i++) {
            Thread worker = new Thread(null, () -> work(run), "pwcheck-sync-" + i, WORKER_STACK_BYTES);
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

    /** One fetch of a list of ranges: what is taken, which workers are still at it, and why it stopped, if it did. */
    private static final class Run {
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

        Run(int[] todo, SyncJournal journal, StoreFrontier frontier, int workers) {
            this.todo = todo;
            this.journal = journal;
            this.frontier = frontier;
            this.done = new CountDownLatch(workers);
        }

        boolean stopping() {
            return stopped.getCount() == 0;
        }
    }

    /** A worker: the next range not yet taken, until none is left or the sync stops. */
    private void work(Run run) {
        try (SyncConnection connection = http.connection()) {
            int next;
            while (!run.stopping() && (next = run.issued.getAndIncrement()) < run.todo.length) {
                fetch(run, connection, run.todo[next]);
            }
        } catch (InterruptedException e) {
            stop(run, "interrupted", null);
        } catch (RuntimeException | Error e) {
            // Not an upstream's doing (those are handled where they are read): stop rather than hang on this range.
            stop(run, "an unexpected failure (" + SyncHttp.describe(e) + ")", null);
        } finally {
            run.done.countDown();
        }
    }

    private void stop(Run run, String failure, StoreException storeFailure) {
        synchronized (run) {
            if (run.failure == null && run.storeFailure == null) {
                run.failure = failure;
                run.storeFailure = storeFailure;
            }
        }
        // Retries waiting out a back-off are not made: the ranges in them are fetched by the next run.
        run.stopped.countDown();
        synchronized (run.handedOver) {
            run.handedOver.notifyAll();
        }
    }

    /**
     * Hands a fetched range to the store. One worker at a time writes the store: the one that finds no other doing
     * so writes its range and every range the others hand over meanwhile, and they go back to fetching at once
     * instead of waiting for its writes (with a lock held across the writes, a third of the workers waited and the
     * cores went idle by turns). The writer gets only its share of the cores, so the others outrun it in bursts: up
     * to {@link #MAX_HANDED_OVER} ranges wait to be written, and past that a worker waits for room. A kill loses the
     * ranges in flight, those handed over, and those the frontier holds in memory only ({@link #write}).
     */
    private void keep(Run run, int prefix, SyncJournal.Entry entry) throws InterruptedException {
        (entry.notModified() ? unchanged : changed).incrementAndGet();
        progress.advance(1);
        synchronized (run.handedOver) {
            while (run.writing && run.handedOver.size() >= MAX_HANDED_OVER && !run.stopping()) {
                run.waitingForRoom++;
                try {
                    run.handedOver.wait();
                } finally {
                    run.waitingForRoom--;
                }
            }
            run.handedOver.addLast(new Arrival(prefix, entry));
            if (run.writing) {
                return;
            }
            run.writing = true;
        }
        writeHandedOver(run);
    }

    /** Writes ranges handed over until there are none; the frontier is this worker's alone meanwhile. */
    private void writeHandedOver(Run run) {
        try {
            while (true) {
                Arrival next;
                synchronized (run.handedOver) {
                    next = run.handedOver.pollFirst();
                    if (run.waitingForRoom > 0) {
                        run.handedOver.notify(); // one range out: room for one in
                    }
                    if (next == null) {
                        run.writing = false;
                        return;
                    }
                }
                write(run, next);
            }
        } catch (IOException e) {
            stop(run, "cannot write the journal: " + e.getMessage(), null);
        } catch (StoreException e) {
            stop(run, null, e);
        }
        synchronized (run.handedOver) {
            // The store failed: what is still handed over is dropped (the next run fetches it), and no one writes.
            run.handedOver.clear();
            run.handedOver.notifyAll();
        }
    }

    /**
     * Into the store through the frontier. The next range goes straight in (and is then journalled as stored); one
     * that came early waits in memory, up to {@code --concurrency} of them, and past that is journalled whole first.
     */
    private void write(Run run, Arrival arrival) throws IOException {
        boolean journalNow = !run.frontier.isNext(arrival.prefix()) && run.frontier.unsaved() >= settings.concurrency();
        if (journalNow) {
            run.journal.append(arrival.prefix(), arrival.entry());
        }
        run.frontier.arrived(arrival.prefix(), arrival.entry(), journalNow);
    }

    /** A parsed range handed over to the store. */
    private record Arrival(int prefix, SyncJournal.Entry entry) {
    }

    /**
     * Fetches one range, trying again as long as it may: a 200 is parsed and validated like any upstream answer, a
     * 304 keeps the stored range, 429 and 5xx and a failed or invalid answer are tried again after a back-off (or the
     * {@code Retry-After} asked for), any other status stops the sync.
     */
    private void fetch(Run run, SyncConnection connection, int prefix) throws InterruptedException {
        String etag = previous != null && previous.holds(prefix) ? previousEtags.get(prefix) : null;
        String name = Hex.prefix(prefix);
        String path = "/range/" + name + (settings.mode() == HashMode.SHA1 ? "" : "?mode=" + settings.mode().wire());
        for (int attempt = 0; ; attempt++) {
            String problem;
            Duration wait = null;
            // The range as fetched (no range when the upstream answered 304), with the ETag it came with.
            SyncJournal.Entry fetched = null;
            try {
                SyncHttp.Answer answer = connection.get(path, etag);
                if (answer.status() == 200) {
                    run.parsing.acquire();
                    try {
                        fetched = new SyncJournal.Entry(parser.parse(answer.body(), answer.length()), answer.etag());
                        problem = null;
                    } catch (RangeFormatException e) {
                        problem = "an invalid answer (" + e.getMessage() + ")";
                    } finally {
                        run.parsing.release();
                    }
                } else if (answer.status() == 304 && etag != null) {
                    fetched = new SyncJournal.Entry(null, answer.etag() != null ? answer.etag() : etag);
                    problem = null;
                } else if (answer.status() == 429 || answer.status() >= 500) {
                    problem = "HTTP " + answer.status();
                    wait = retryAfter(answer.retryAfter());
                } else {
                    stop(run, "range " + name + " answered HTTP " + answer.status() + ", which retrying will not fix", null);
                    return;
                }
            } catch (SyncHttp.Failure failed) {
                problem = failed.invalidAnswer() ? "an invalid answer (" + failed.getMessage() + ")" : failed.getMessage();
            }
            if (fetched != null) {
                keep(run, prefix, fetched);
                return;
            }
            if (attempt >= settings.retries()) {
                stop(run, "range " + name + " failed " + (attempt + 1) + " times, last with " + problem, null);
                return;
            }
            if (wait == null) {
                long capMillis = Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(attempt, 16));
                wait = Duration.ofMillis(ThreadLocalRandom.current().nextLong(capMillis / 2, capMillis + 1));
            }
            if (run.stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    /**
     * The wait the upstream asked for, up to {@link #MAX_RETRY_AFTER}; null when it asked for none we read. Unlike
     * the service's parse (which ignores 10 digits or more) any number of seconds is read here, and capped.
     */
    private static Duration retryAfter(String value) {
        if (value == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds >= 0 ? Duration.ofSeconds(Math.min(seconds, MAX_RETRY_AFTER.toSeconds())) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Copies the range of {@code prefix} from the store being refreshed, as it is stored there. */
    private StoreWriter.WrittenRange copyPrevious(int prefix, StoreWriter writer) {
        if (previous == null || !previous.holds(prefix)) {
            throw new StoreException("range " + Hex.prefix(prefix)
                    + " was answered 304 but the store being refreshed no longer holds it; remove the journal and sync again");
        }
        return writer.copyRange(previous, prefix);
    }

    /**
     * Takes back the ranges a stopped run wrote into the partial store, in prefix order from the first, as long as
     * each is there as the journal says (a power cut can lose file data the journal kept); the rest of the partial
     * store is cut off, and ranges past it that the journal has no records of are fetched again.
     *
     * @return the first prefix the store still needs
     */
    private int takeBack(SyncJournal journal, StoreWriter writer, EtagIndex etags) throws IOException {
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
