package dev.pwcheck.mirror.sync;

import dev.pwcheck.format.HashMode;
import dev.pwcheck.format.RangeFormatException;
import dev.pwcheck.format.RangeParser;
import dev.pwcheck.hash.Hex;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** One range from the upstream, tried again with back-off as long as it may, parsed like any upstream answer. */
final class RangeFetcher {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

    private final RangeSync.Settings settings;
    private final RangeParser parser;
    private final RefreshedStore refreshed;

    RangeFetcher(RangeSync.Settings settings, RangeParser parser, RefreshedStore refreshed) {
        this.settings = settings;
        this.parser = parser;
        this.refreshed = refreshed;
    }

    /**
     * Fetches one range, trying again as long as it may: a 200 is parsed and validated like any upstream answer, a
     * 304 keeps the stored range, 429 and 5xx and a failed or invalid answer are tried again after a back-off (or the
     * {@code Retry-After} asked for), any other status stops the sync.
     */
    void fetch(SyncRun run, SyncConnection connection, int prefix) throws InterruptedException {
        String etag = refreshed.etagFor(prefix);
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
                    run.stop("range " + name + " answered HTTP " + answer.status() + ", which retrying will not fix", null);
                    return;
                }
            } catch (SyncHttp.Failure failed) {
                problem = failed.invalidAnswer() ? "an invalid answer (" + failed.getMessage() + ")" : failed.getMessage();
            }
            if (fetched != null) {
                run.keep(prefix, fetched);
                return;
            }
            if (attempt >= settings.retries()) {
                run.stop("range " + name + " failed " + (attempt + 1) + " times, last with " + problem, null);
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
}
