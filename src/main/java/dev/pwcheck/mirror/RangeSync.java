package dev.pwcheck.mirror;

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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Downloads every range of a corpus from the upstream into a store: a bounded number of requests at a time, each
 * retried with back-off (honouring {@code Retry-After}) on the failures that pass, each answer validated like any
 * upstream answer. Progress goes to a journal as ranges arrive, so a sync that is stopped, killed or fails resumes
 * where it was, fetching no range twice; the store is written only once every range is in.
 *
 * <p>Run on a directory that already holds a store of the same kind, it refreshes it: every range that store holds is
 * asked with {@code If-None-Match} on the ETag it was stored with ({@link EtagIndex}); a 304 keeps the stored range
 * (copied from the old store when the new one is written), a 200 replaces it. The new store is written beside the old
 * one and renamed over it, as always, and a running service swaps it in.
 */
final class RangeSync {

    /** What a sync is asked to do; {@code first}/{@code last} narrow it to some prefixes (a partial store). */
    record Settings(URI upstream, HashMode mode, int concurrency, int retries, Duration timeout, int first, int last,
            StoreFormat.Kind kind) {

        Settings(URI upstream, HashMode mode, int concurrency, int retries, Duration timeout, int first, int last) {
            this(upstream, mode, concurrency, retries, timeout, first, last, StoreFormat.Kind.FULL);
        }
    }

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
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

    RangeSync(Settings settings, Progress progress, PrintStream log) {
        this.settings = settings;
        this.progress = progress;
        this.log = log;
        this.http = new SyncHttp(settings.upstream(), settings.concurrency(), settings.timeout(), MAX_ANSWER_BYTES, USER_AGENT);
        this.parser = new RangeParser(settings.mode(), MAX_ANSWER_BYTES, 200_000);
    }

    /** What the last run did, for its summary. */
    record Summary(int changed, int unchanged, long wireBytes, boolean refresh, Duration fetching, Duration writing) {
    }

    Summary summary() {
        return new Summary(changed.get(), unchanged.get(), http.wireBytes(), previous != null, Duration.ofNanos(fetchNanos), Duration.ofNanos(writeNanos));
    }

    Path run(Path dir) throws IOException, InterruptedException {
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
        try (SyncJournal journal = SyncJournal.open(journalFile, settings.mode())) {
            int[] todo = java.util.stream.IntStream.rangeClosed(settings.first(), settings.last()).filter(p -> !journal.has(p)).toArray();
            int wanted = settings.last() - settings.first() + 1;
            progress.resumedWith(wanted - todo.length);
            if (todo.length < wanted) {
                log.printf(Locale.ROOT, "Resuming: %,d of %,d ranges are already in %s%n", wanted - todo.length, wanted, journalFile);
            }
            long fetchStart = System.nanoTime();
            EtagIndex etags = new EtagIndex();
            Path written;
            try (StoreWriter writer = new StoreWriter(dir.resolve(StoreFormat.fileName(settings.mode())), settings.mode(), settings.kind(), false)) {
                StoreFrontier frontier = new StoreFrontier(journal, settings.first(), settings.last(), (prefix, entry) -> {
                    etags.put(prefix, entry.etag());
                    writer.beginRange(prefix);
                    if (entry.notModified()) {
                        copyPrevious(prefix, writer);
                    } else {
                        writer.addRange(entry.range());
                    }
                });
                fetchAll(todo, journal, frontier);
                progress.finish();
                fetchNanos = System.nanoTime() - fetchStart;
                log.println("All ranges fetched; finishing the store");
                long writeStart = System.nanoTime();
                frontier.finish();
                written = writer.commit();
                // After the store, never before: ETags newer than the store they sit beside would keep ranges it lacks.
                etags.writeFor(MirrorStore.open(written, false));
                writeNanos = System.nanoTime() - writeStart;
            }
            Path store = written;
            journal.delete();
            if (previous != null) {
                log.printf(Locale.ROOT, "Refreshed: %,d ranges changed, %,d unchanged (304)%n", changed.get(), unchanged.get());
            }
            return store;
        }
    }

    /**
     * What became of one range: fetched (or answered 304), given up on with a reason, or abandoned without one (a
     * retry not made because the sync is stopping).
     */
    private record Arrival(int prefix, Fetched fetched, String failure) {
    }

    /**
     * Keeps {@code concurrency} ranges in flight until every one in {@code todo} is in. Requests are sent and answers
     * parsed on the HTTP client's event loops; this thread journals each range, writes it into the store through the
     * frontier, and only then sends the next request, so that a kill never loses more than the ranges in flight.
     */
    private void fetchAll(int[] todo, SyncJournal journal, StoreFrontier frontier) throws IOException, InterruptedException {
        LinkedBlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
        Set<Retry> waiting = ConcurrentHashMap.newKeySet();
        frontier.advance();
        int issued = 0;
        int inFlight = 0;
        String failure = null;
        StoreException storeFailure = null;
        for (; issued < Math.min(settings.concurrency(), todo.length); issued++, inFlight++) {
            start(todo[issued], arrivals, waiting);
        }
        long lastForce = System.nanoTime();
        while (inFlight > 0) {
            Arrival arrival = arrivals.poll(250, TimeUnit.MILLISECONDS);
            if (System.nanoTime() - lastForce > 2_000_000_000L) {
                journal.force();
                lastForce = System.nanoTime();
            }
            if (arrival == null) {
                progress.tick();
                continue;
            }
            inFlight--;
            if (arrival.fetched() == null) {
                failure = failure == null ? arrival.failure() : failure;
            } else {
                try {
                    keep(arrival, journal, frontier);
                } catch (IOException e) {
                    failure = failure == null ? "cannot write the journal: " + e.getMessage() : failure;
                } catch (StoreException e) {
                    storeFailure = storeFailure == null ? e : storeFailure;
                }
            }
            if (failure == null && storeFailure == null && issued < todo.length) {
                start(todo[issued++], arrivals, waiting);
                inFlight++;
            } else if ((failure != null || storeFailure != null) && stopping.compareAndSet(false, true)) {
                // Retries waiting out a back-off are not made: the ranges in them are fetched by the next run.
                for (Retry retry : waiting) {
                    if (waiting.remove(retry)) {
                        http.cancel(retry.timer);
                        inFlight--;
                    }
                }
            }
        }
        journal.force();
        if (storeFailure != null) {
            throw storeFailure;
        }
        if (failure != null) {
            throw new StoreException("sync stopped: " + failure + ". " + journal.entries()
                    + " ranges are saved; run the same command again to resume");
        }
    }

    /** Journals a fetched range (once this returns a kill no longer loses it) and hands it to the store. */
    private void keep(Arrival arrival, SyncJournal journal, StoreFrontier frontier) throws IOException {
        Fetched fetched = arrival.fetched();
        if (fetched.range() == null) {
            journal.appendNotModified(arrival.prefix(), fetched.etag());
            unchanged.incrementAndGet();
        } else {
            journal.append(arrival.prefix(), fetched.range(), fetched.etag());
            changed.incrementAndGet();
        }
        progress.advance(1);
        frontier.arrived(arrival.prefix(), new SyncJournal.Entry(fetched.range(), fetched.etag()));
    }

    private final java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();

    /** A retry waiting out its back-off. */
    private static final class Retry {
        volatile long timer;
    }

    /** A range as fetched (null when the upstream answered 304), with the ETag it came with. */
    private record Fetched(CompactRange range, String etag) {
    }

    private void start(int prefix, LinkedBlockingQueue<Arrival> arrivals, Set<Retry> waiting) {
        String etag = previous != null && previous.holds(prefix) ? previousEtags.get(prefix) : null;
        String name = String.format(Locale.ROOT, "%05X", prefix);
        String path = "/range/" + name + (settings.mode() == HashMode.SHA1 ? "" : "?mode=" + settings.mode().wire());
        attempt(prefix, name, path, etag, 0, arrivals, waiting);
    }

    /**
     * One try at a range, on an event loop: a 200 is parsed there and validated like any upstream answer, a 304
     * keeps the stored range, 429 and 5xx and a failed or invalid answer are tried again after a back-off (or the
     * {@code Retry-After} asked for), any other status stops the sync.
     */
    private void attempt(int prefix, String name, String path, String etag, int attempt, LinkedBlockingQueue<Arrival> arrivals,
            Set<Retry> waiting) {
        http.send(path, etag, (answer, failed) -> {
            String problem;
            Duration wait = null;
            if (answer == null) {
                problem = failed.invalidAnswer() ? "an invalid answer (" + failed.message() + ")" : failed.message();
            } else if (answer.status() == 200) {
                try {
                    arrivals.add(new Arrival(prefix, new Fetched(parser.parse(answer.body(), answer.length()), answer.etag()), null));
                    return;
                } catch (UpstreamException e) {
                    problem = "an invalid answer (" + e.getMessage() + ")";
                }
            } else if (answer.status() == 304 && etag != null) {
                arrivals.add(new Arrival(prefix, new Fetched(null, answer.etag() != null ? answer.etag() : etag), null));
                return;
            } else if (answer.status() == 429 || answer.status() >= 500) {
                problem = "HTTP " + answer.status();
                wait = retryAfter(answer.retryAfter()).orElse(null);
            } else {
                arrivals.add(new Arrival(prefix, null, "range " + name + " answered HTTP " + answer.status() + ", which retrying will not fix"));
                return;
            }
            if (attempt >= settings.retries()) {
                arrivals.add(new Arrival(prefix, null, "range " + name + " failed " + (attempt + 1) + " times, last with " + problem));
                return;
            }
            if (stopping.get()) {
                arrivals.add(new Arrival(prefix, null, null));
                return;
            }
            if (wait == null) {
                long capMillis = Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(attempt, 16));
                wait = Duration.ofMillis(ThreadLocalRandom.current().nextLong(capMillis / 2, capMillis + 1));
            }
            // Claimed once, by the timer (the retry is made) or by a stopping sync (it is not): never both, never neither.
            Retry retry = new Retry();
            waiting.add(retry);
            retry.timer = http.later(wait, () -> {
                if (waiting.remove(retry)) {
                    attempt(prefix, name, path, etag, attempt + 1, arrivals, waiting);
                }
            });
        });
    }

    private static Optional<Duration> retryAfter(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(Math.min(seconds, MAX_RETRY_AFTER.toSeconds()))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Copies the range of {@code prefix} from the store being refreshed, as it is stored there. */
    private void copyPrevious(int prefix, StoreWriter writer) {
        if (previous == null || !previous.holds(prefix)) {
            throw new StoreException("range " + String.format(Locale.ROOT, "%05X", prefix)
                    + " was answered 304 but the store being refreshed no longer holds it; remove " + "the journal and sync again");
        }
        writer.copyRange(previous, prefix);
    }
}
