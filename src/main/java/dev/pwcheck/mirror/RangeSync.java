package dev.pwcheck.mirror;

import dev.pwcheck.range.CompactRange;
import dev.pwcheck.range.HashMode;
import dev.pwcheck.range.RangeParser;
import dev.pwcheck.upstream.UpstreamException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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
    private final HttpClient http;
    private final RangeParser parser;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(daemon("sync-watchdog"));

    RangeSync(Settings settings, Progress progress, PrintStream log) {
        this.settings = settings;
        this.progress = progress;
        this.log = log;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .executor(Executors.newFixedThreadPool(2, daemon("sync-http")))
                .build();
        this.parser = new RangeParser(settings.mode(), MAX_ANSWER_BYTES, 200_000);
    }

    Path run(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
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
                        journal.append(todo[i], fetch(todo[i]));
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

    private CompactRange fetch(int prefix) throws InterruptedException {
        String name = String.format(Locale.ROOT, "%05X", prefix);
        String query = settings.mode() == HashMode.SHA1 ? "" : "?mode=" + settings.mode().wire();
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.upstream() + "/range/" + name + query))
                .timeout(settings.timeout())
                .header("Add-Padding", "true")
                .header("User-Agent", USER_AGENT)
                .GET()
                .build();
        String lastProblem = "";
        for (int attempt = 0; ; attempt++) {
            Duration wait = null;
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                try (InputStream body = response.body()) {
                    if (status == 200) {
                        // The client's timeout ends at the headers; a body that stalls is cut off by closing it.
                        ScheduledFuture<?> cutOff = watchdog.schedule(() -> closeQuietly(body), settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
                        try {
                            // Past the cap the parser refuses it: at most one byte more is ever read.
                            return parser.parse(body.readNBytes(MAX_ANSWER_BYTES + 1));
                        } catch (UpstreamException e) {
                            lastProblem = "an invalid answer (" + e.getMessage() + ")";
                        } finally {
                            cutOff.cancel(false);
                        }
                    } else if (status == 429 || status >= 500) {
                        lastProblem = "HTTP " + status;
                        wait = retryAfter(response).orElse(null);
                    } else {
                        throw new SyncFailure("range " + name + " answered HTTP " + status + ", which retrying will not fix");
                    }
                }
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
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

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // it is being abandoned anyway
        }
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                long seconds = Long.parseLong(value.trim());
                return seconds >= 0 ? Optional.of(Duration.ofSeconds(Math.min(seconds, MAX_RETRY_AFTER.toSeconds()))) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private Path write(Path dir, SyncJournal journal) throws IOException {
        try (StoreWriter writer = new StoreWriter(dir.resolve(StoreFormat.fileName(settings.mode())), settings.mode(), settings.kind(), false)) {
            byte[] suffix = new byte[settings.mode().suffixBytes()];
            for (int prefix = settings.first(); prefix <= settings.last(); prefix++) {
                CompactRange range = journal.read(prefix);
                writer.beginRange(prefix);
                for (int i = 0; i < range.size(); i++) {
                    range.packedSuffixAt(i, suffix);
                    writer.add(suffix, 0, range.countAt(i));
                }
            }
            return writer.commit();
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
