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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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

    RangeSync(Settings settings, Progress progress, PrintStream log) {
        this.settings = settings;
        this.progress = progress;
        this.log = log;
        this.http = new SyncHttp(settings.upstream(), settings.concurrency(), settings.timeout(), MAX_ANSWER_BYTES, USER_AGENT);
        this.parser = new RangeParser(settings.mode(), MAX_ANSWER_BYTES, 200_000);
    }

    /** What the last run did, for its summary. */
    record Summary(int changed, int unchanged, long wireBytes, boolean refresh) {
    }

    Summary summary() {
        return new Summary(changed.get(), unchanged.get(), http.wireBytes(), previous != null);
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
            fetchAll(todo, journal);
            progress.finish();
            journal.force();
            log.println("All ranges fetched; writing the store");
            Path store = write(dir, journal);
            journal.delete();
            if (previous != null) {
                log.printf(Locale.ROOT, "Refreshed: %,d ranges changed, %,d unchanged (304)%n", changed.get(), unchanged.get());
            }
            return store;
        }
    }

    private void fetchAll(int[] todo, SyncJournal journal) throws IOException, InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        ExecutorService workers = Executors.newFixedThreadPool(settings.concurrency(), daemon("sync-worker"));
        for (int w = 0; w < settings.concurrency(); w++) {
            workers.execute(() -> {
                int i;
                while (failure.get() == null && (i = next.getAndIncrement()) < todo.length) {
                    try {
                        int prefix = todo[i];
                        String etag = previous != null && previous.holds(prefix) ? previousEtags.get(prefix) : null;
                        Fetched fetched = fetch(prefix, etag);
                        if (fetched.range() == null) {
                            journal.appendNotModified(prefix, fetched.etag());
                            unchanged.incrementAndGet();
                        } else {
                            journal.append(prefix, fetched.range(), fetched.etag());
                            changed.incrementAndGet();
                        }
                        progress.advance(1);
                    } catch (SyncFailure e) {
                        failure.compareAndSet(null, e.getMessage());
                    } catch (IOException e) {
                        failure.compareAndSet(null, "cannot write the journal: " + e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }
        workers.shutdown();
        long lastForce = System.nanoTime();
        while (!workers.awaitTermination(250, TimeUnit.MILLISECONDS)) {
            progress.tick();
            if (System.nanoTime() - lastForce > 2_000_000_000L) {
                journal.force();
                lastForce = System.nanoTime();
            }
        }
        if (failure.get() != null) {
            journal.force();
            throw new StoreException("sync stopped: " + failure.get() + ". " + journal.entries()
                    + " ranges are saved; run the same command again to resume");
        }
    }

    /** A range as fetched (null when the upstream answered 304), with the ETag it came with. */
    private record Fetched(CompactRange range, String etag) {
    }

    private Fetched fetch(int prefix, String etag) throws InterruptedException {
        String name = String.format(Locale.ROOT, "%05X", prefix);
        String path = "/range/" + name + (settings.mode() == HashMode.SHA1 ? "" : "?mode=" + settings.mode().wire());
        String lastProblem = "";
        for (int attempt = 0; ; attempt++) {
            Duration wait = null;
            try {
                SyncHttp.Answer answer = http.get(path, etag);
                int status = answer.status();
                if (status == 200) {
                    try {
                        return new Fetched(parser.parse(answer.body(), answer.length()), answer.etag());
                    } catch (UpstreamException e) {
                        lastProblem = "an invalid answer (" + e.getMessage() + ")";
                    }
                } else if (status == 304 && etag != null) {
                    return new Fetched(null, answer.etag() != null ? answer.etag() : etag);
                } else if (status == 429 || status >= 500) {
                    lastProblem = "HTTP " + status;
                    wait = retryAfter(answer.retryAfter()).orElse(null);
                } else {
                    throw new SyncFailure("range " + name + " answered HTTP " + status + ", which retrying will not fix");
                }
            } catch (UpstreamException e) {
                lastProblem = "an invalid answer (" + e.getMessage() + ")";
            } catch (IOException e) {
                lastProblem = e.getMessage();
            }
            if (attempt >= settings.retries()) {
                throw new SyncFailure("range " + name + " failed " + (attempt + 1) + " times, last with " + lastProblem);
            }
            if (wait == null) {
                long capMillis = Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(attempt, 16));
                wait = Duration.ofMillis(ThreadLocalRandom.current().nextLong(capMillis / 2, capMillis + 1));
            }
            Thread.sleep(wait.toMillis());
        }
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

    private Path write(Path dir, SyncJournal journal) throws IOException {
        EtagIndex etags = new EtagIndex();
        Path written;
        try (StoreWriter writer = new StoreWriter(dir.resolve(StoreFormat.fileName(settings.mode())), settings.mode(), settings.kind(), false)) {
            byte[] suffix = new byte[settings.mode().suffixBytes()];
            for (int prefix = settings.first(); prefix <= settings.last(); prefix++) {
                SyncJournal.Entry entry = journal.read(prefix);
                etags.put(prefix, entry.etag());
                writer.beginRange(prefix);
                if (entry.notModified()) {
                    copyPrevious(prefix, writer, suffix);
                    continue;
                }
                CompactRange range = entry.range();
                for (int i = 0; i < range.size(); i++) {
                    range.packedSuffixAt(i, suffix);
                    writer.add(suffix, 0, range.countAt(i));
                }
            }
            written = writer.commit();
        }
        // After the store, never before: ETags newer than the store they sit beside would keep ranges it lacks.
        etags.writeFor(MirrorStore.open(written, false));
        return written;
    }

    /** Copies the range of {@code prefix} from the store being refreshed, record by record (full or compact keys). */
    private void copyPrevious(int prefix, StoreWriter writer, byte[] suffix) {
        if (previous == null || !previous.holds(prefix)) {
            throw new StoreException("range " + String.format(Locale.ROOT, "%05X", prefix)
                    + " was answered 304 but the store being refreshed no longer holds it; remove " + "the journal and sync again");
        }
        for (long r = previous.rangeStart(prefix), end = previous.rangeStart(prefix + 1); r < end; r++) {
            java.util.Arrays.fill(suffix, (byte) 0);
            previous.keyAt(r, suffix);
            writer.add(suffix, 0, previous.countAt(r));
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A range that cannot be had: stops the sync (what was fetched stays in the journal). */
    private static final class SyncFailure extends RuntimeException {
        SyncFailure(String message) {
            super(message);
        }
    }
}
