package dev.pwcheck.mirror.sync;

import dev.pwcheck.hash.Hex;
import dev.pwcheck.mirror.Progress;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreException;
import dev.pwcheck.mirror.store.StoreWriter;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.range.CompactRange;
import dev.pwcheck.range.HashMode;
import dev.pwcheck.range.RangeParser;
import dev.pwcheck.upstream.UpstreamException;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
        this.http = new SyncHttp(settings.upstream(), settings.concurrency(), settings.timeout(), MAX_ANSWER_BYTES, USER_AGENT);
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
     * Keeps {@code concurrency} ranges in flight until every one in {@code todo} is in. Requests are sent, answers
     * parsed, ranges journaled and written into the store (through the frontier) on the HTTP client's event loops,
     * and the next request goes out from there too, so nothing waits on another thread on the way; the next request
     * is sent only once the range before it is journaled, so a kill never loses more than the ranges in flight. This
     * thread only shows progress and syncs the journal to disk now and then: a kill loses nothing the journal was
     * given (the page cache keeps it), so the sync only bounds what a power cut can take, and does so rarely, since
     * every sync of the device stalls the writes of the whole sync behind it (on ext4 every 2 s cost 8-10%).
     */
    private void fetchAll(int[] todo, SyncJournal journal, StoreFrontier frontier, StoreWriter writer) throws IOException, InterruptedException {
        Run run = new Run(todo, journal, frontier);
        frontier.advance();
        int first = Math.min(settings.concurrency(), todo.length);
        run.inFlight.set(first);
        run.issued.set(first);
        for (int i = 0; i < first; i++) {
            start(run, todo[i]);
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
            synchronized (frontier) {
                try {
                    frontier.saveHeld();
                } catch (IOException e) {
                    // Then the next run fetches them again; the reason the sync stopped is what to report.
                }
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

    /** One fetch of a list of ranges: what is in flight, what comes next, and why it stopped, if it did. */
    private static final class Run {
        final int[] todo;
        final SyncJournal journal;
        final StoreFrontier frontier;
        final AtomicInteger issued = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        /** Retries waiting out a back-off: a stopping sync cancels them. */
        final Set<Retry> waiting = ConcurrentHashMap.newKeySet();
        volatile boolean stopping;
        volatile String failure;
        volatile StoreException storeFailure;

        Run(int[] todo, SyncJournal journal, StoreFrontier frontier) {
            this.todo = todo;
            this.journal = journal;
            this.frontier = frontier;
        }
    }

    /** A range is over (kept, given up on, or abandoned): the next one goes out in its place, or the run ends. */
    private void finished(Run run) {
        int next = run.stopping ? run.todo.length : run.issued.getAndIncrement();
        if (next < run.todo.length) {
            start(run, run.todo[next]);
        } else if (run.inFlight.decrementAndGet() == 0) {
            run.done.countDown();
        }
    }

    private void stop(Run run, String failure, StoreException storeFailure) {
        synchronized (run) {
            if (run.failure == null && run.storeFailure == null) {
                run.failure = failure;
                run.storeFailure = storeFailure;
            }
            run.stopping = true;
        }
        // Retries waiting out a back-off are not made: the ranges in them are fetched by the next run.
        for (Retry retry : run.waiting) {
            if (run.waiting.remove(retry)) {
                http.cancel(retry.timer);
                if (run.inFlight.decrementAndGet() == 0) {
                    run.done.countDown();
                }
            }
        }
    }

    /** Journals a fetched range (once this returns a kill no longer loses it) and hands it to the store. */
    private void keep(Run run, int prefix, Fetched fetched) {
        try {
            // One range at a time into the journal and the store: the frontier writes in prefix order.
            synchronized (run.frontier) {
                // The next range goes straight into the store (which then journals where it is); one that came early
                // waits in memory, up to --concurrency of them, and past that is journalled whole first. So a kill
                // loses at most the ranges in flight and as many again waiting for the store.
                SyncJournal.Entry entry = new SyncJournal.Entry(fetched.range(), fetched.etag());
                boolean journalNow = !run.frontier.isNext(prefix) && run.frontier.unsaved() >= settings.concurrency();
                if (journalNow) {
                    run.journal.append(prefix, entry);
                }
                (entry.notModified() ? unchanged : changed).incrementAndGet();
                progress.advance(1);
                run.frontier.arrived(prefix, entry, journalNow);
            }
        } catch (IOException e) {
            stop(run, "cannot write the journal: " + e.getMessage(), null);
        } catch (StoreException e) {
            stop(run, null, e);
        }
    }

    /** A retry waiting out its back-off. */
    private static final class Retry {
        volatile long timer;
    }

    /** A range as fetched (null when the upstream answered 304), with the ETag it came with. */
    private record Fetched(CompactRange range, String etag) {
    }

    private void start(Run run, int prefix) {
        String etag = previous != null && previous.holds(prefix) ? previousEtags.get(prefix) : null;
        String name = Hex.prefix(prefix);
        String path = "/range/" + name + (settings.mode() == HashMode.SHA1 ? "" : "?mode=" + settings.mode().wire());
        attempt(run, prefix, name, path, etag, 0);
    }

    /**
     * One try at a range, on an event loop: a 200 is parsed there and validated like any upstream answer, a 304
     * keeps the stored range, 429 and 5xx and a failed or invalid answer are tried again after a back-off (or the
     * {@code Retry-After} asked for), any other status stops the sync.
     */
    private void attempt(Run run, int prefix, String name, String path, String etag, int attempt) {
        http.send(path, etag, (answer, failed) -> {
            String problem;
            Duration wait = null;
            if (answer == null) {
                problem = failed.invalidAnswer() ? "an invalid answer (" + failed.message() + ")" : failed.message();
            } else if (answer.status() == 200) {
                Fetched fetched = null;
                try {
                    fetched = new Fetched(parser.parse(answer.body(), answer.length()), answer.etag());
                    problem = null;
                } catch (UpstreamException e) {
                    problem = "an invalid answer (" + e.getMessage() + ")";
                }
                if (fetched != null) {
                    keep(run, prefix, fetched);
                    finished(run);
                    return;
                }
            } else if (answer.status() == 304 && etag != null) {
                keep(run, prefix, new Fetched(null, answer.etag() != null ? answer.etag() : etag));
                finished(run);
                return;
            } else if (answer.status() == 429 || answer.status() >= 500) {
                problem = "HTTP " + answer.status();
                wait = retryAfter(answer.retryAfter());
            } else {
                stop(run, "range " + name + " answered HTTP " + answer.status() + ", which retrying will not fix", null);
                finished(run);
                return;
            }
            if (attempt >= settings.retries()) {
                stop(run, "range " + name + " failed " + (attempt + 1) + " times, last with " + problem, null);
                finished(run);
                return;
            }
            if (run.stopping) {
                finished(run);
                return;
            }
            if (wait == null) {
                long capMillis = Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(attempt, 16));
                wait = Duration.ofMillis(ThreadLocalRandom.current().nextLong(capMillis / 2, capMillis + 1));
            }
            // Claimed once, by the timer (the retry is made) or by a stopping sync (it is not): never both, never neither.
            Retry retry = new Retry();
            run.waiting.add(retry);
            retry.timer = http.later(wait, () -> {
                if (run.waiting.remove(retry)) {
                    attempt(run, prefix, name, path, etag, attempt + 1);
                }
            });
        });
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
