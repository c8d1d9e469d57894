package dev.pwcheck.mirror.sync;

import dev.pwcheck.mirror.cli.MirrorCommand;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.mirror.Progress;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.MirrorStoreTest;
import dev.pwcheck.mirror.store.StoreException;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.support.Corpus;
import dev.pwcheck.support.CorpusUpstream;
import dev.pwcheck.support.CorpusUpstream.Scripted;
import dev.pwcheck.support.EndlessUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RangeSyncTest {

    private static final int LAST = 0x003FF;

    @TempDir
    Path dir;

    private final Corpus corpus = Corpus.random(3, 40,
            IntStream.rangeClosed(0, LAST).filter(p -> p % 9 == 0).mapToObj(RangeSyncTest::name).toList(), 40);
    private CorpusUpstream upstream;

    @AfterEach
    void stopUpstream() {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void aSyncFetchesEveryRangeOnceAndWritesAStoreOfExactlyTheCorpus() throws Exception {
        upstream = new CorpusUpstream(corpus);

        MirrorStore store = MirrorStore.open(sync(LAST), true);

        assertEquals(LAST + 1, upstream.requests().size());
        upstream.requests().forEach((prefix, count) -> assertEquals(1, count.get(), "requests for " + prefix));
        assertEquals(LAST + 1, store.presentRanges());
        assertEquals(corpus.hashes().size(), store.hashes(), "padding never reaches the store");
        corpus.hashes().forEach((hash, count) -> assertEquals(count, MirrorStoreTest.countOf(store, hash)));
        assertFalse(Files.exists(dir.resolve(".sync-sha1.journal")), "the journal goes once the store is written");
    }

    @Test
    void transientFailuresAndInvalidAnswersAreRetried() throws Exception {
        upstream = new CorpusUpstream(corpus);
        upstream.script("00009", attempt -> switch (attempt) {
            case 1 -> new Scripted(503, "busy", null);
            case 2 -> new Scripted(429, "slow down", "0");
            case 3 -> new Scripted(200, "<html>not a range</html>", null);
            default -> null;
        });

        MirrorStore store = MirrorStore.open(sync(0x0003F), true);

        assertEquals(4, upstream.requestsFor("00009"));
        assertTrue(corpus.hashes().keySet().stream().filter(h -> h.startsWith("00009"))
                .allMatch(h -> MirrorStoreTest.countOf(store, h) == corpus.hashes().get(h)));
    }

    @Test
    void anEndlessAnswerIsCutOffAtTheCapAndRefused() throws Exception {
        EndlessUpstream endless = new EndlessUpstream();
        String url = endless.start().get("pwcheck.upstream.url");
        EndlessUpstream.WRITTEN.set(0);
        try {
            RangeSync.Settings settings = new RangeSync.Settings(URI.create(url), HashMode.SHA1, 1, 0, Duration.ofSeconds(10), 0, 0);
            StoreException stopped = assertThrows(StoreException.class, () -> new RangeSync(settings,
                    new Progress("ranges", 1, new PrintStream(new ByteArrayOutputStream()), false), new PrintStream(new ByteArrayOutputStream())).run(dir));

            assertTrue(stopped.getMessage().contains("an invalid answer (upstream range answer is over 4194304 bytes)"), stopped.getMessage());
            // 64 MiB on offer; reading stops at the 4 MiB cap (plus what socket buffers had taken).
            assertTrue(EndlessUpstream.WRITTEN.get() < 16L << 20, "bytes the fake managed to write: " + EndlessUpstream.WRITTEN.get());
        } finally {
            endless.stop();
        }
    }

    @Test
    void aBodyThatStallsIsCutOffAtTheTimeout() throws Exception {
        try (ServerSocket stalling = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket socket = stalling.accept()) {
                    socket.getInputStream().read(new byte[8192]);
                    socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + "0".repeat(35) + ":1\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    Thread.sleep(30_000); // and then nothing: the rest of the body never comes
                } catch (Exception e) {
                    // the client gave up, as it should
                }
            });
            server.setDaemon(true);
            server.start();
            RangeSync.Settings settings = new RangeSync.Settings(URI.create("http://127.0.0.1:" + stalling.getLocalPort()), HashMode.SHA1, 1, 0,
                    Duration.ofSeconds(1), 0, 0);
            long start = System.nanoTime();

            StoreException stopped = assertThrows(StoreException.class, () -> new RangeSync(settings,
                    new Progress("ranges", 1, new PrintStream(new ByteArrayOutputStream()), false), new PrintStream(new ByteArrayOutputStream())).run(dir));

            assertTrue(stopped.getMessage().contains("range 00000 failed 1 times"), stopped.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "cut off near the 1 s timeout, not after the 30 s stall");
        }
    }

    @Test
    @Timeout(120) // without a working watchdog the sync would wait forever
    void anUpstreamThatAcceptsAndNeverAnswersIsGivenUpAtTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread server = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // held open; not a byte is ever sent
                    }
                } catch (IOException e) {
                    // the test is over
                }
            });
            server.setDaemon(true);
            server.start();
            RangeSync.Settings settings = new RangeSync.Settings(URI.create("http://127.0.0.1:" + silent.getLocalPort()), HashMode.SHA1, 1, 1,
                    Duration.ofSeconds(1), 0, 0);
            long start = System.nanoTime();

            StoreException stopped = assertThrows(StoreException.class, () -> new RangeSync(settings,
                    new Progress("ranges", 1, new PrintStream(new ByteArrayOutputStream()), false), new PrintStream(new ByteArrayOutputStream())).run(dir));

            assertTrue(stopped.getMessage().contains("range 00000 failed 2 times, last with no answer within PT1S"), stopped.getMessage());
            // Two tries of 1 s and a back-off of at most 1 s; the watchdog, not the server, ends each.
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "given up at the timeout, not left waiting");
            assertEquals(2, accepted.size(), "the try after the timeout is made on a fresh connection");
        }
    }

    @Test
    @Timeout(240)
    void aBodyThatDripsForeverIsCutOffAtFourTimesTheTimeout() throws Exception {
        try (ServerSocket dripping = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket socket = dripping.accept()) {
                    socket.getInputStream().read(new byte[8192]);
                    socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    // One byte every 200 ms: never idle for the 1 s timeout, never done either.
                    for (int i = 0; i < 600; i++) {
                        socket.getOutputStream().write('0');
                        socket.getOutputStream().flush();
                        Thread.sleep(200);
                    }
                } catch (Exception e) {
                    // the client gave up, as it should
                }
            });
            server.setDaemon(true);
            server.start();
            RangeSync.Settings settings = new RangeSync.Settings(URI.create("http://127.0.0.1:" + dripping.getLocalPort()), HashMode.SHA1, 1, 0,
                    Duration.ofSeconds(1), 0, 0);
            long start = System.nanoTime();

            StoreException stopped = assertThrows(StoreException.class, () -> new RangeSync(settings,
                    new Progress("ranges", 1, new PrintStream(new ByteArrayOutputStream()), false), new PrintStream(new ByteArrayOutputStream())).run(dir));

            assertTrue(stopped.getMessage().contains("no whole answer within PT4S"), stopped.getMessage());
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(seconds >= 4 && seconds < 60, "cut off after 4 x 1 s (+1 s), not at the drip's 120 s: " + seconds + " s");
        }
    }

    @Test
    void aRangeThatCannotBeHadStopsTheSyncAndARerunResumesWithoutRefetching() throws Exception {
        upstream = new CorpusUpstream(corpus);
        upstream.script("00012", attempt -> new Scripted(404, "no such range", null));

        StoreException stopped = assertThrows(StoreException.class, () -> sync(0x000FF));
        assertTrue(stopped.getMessage().contains("range 00012 answered HTTP 404"), stopped.getMessage());
        assertTrue(stopped.getMessage().contains("run the same command again to resume"), stopped.getMessage());
        assertFalse(Files.exists(dir.resolve("sha1.pwstore")), "no store from an incomplete sync");

        Map<String, Integer> firstRun = snapshot();
        upstream.script("00012", attempt -> null);
        sync(0x000FF);

        for (int p = 0; p <= 0x000FF; p++) {
            String prefix = name(p);
            int before = firstRun.getOrDefault(prefix, 0);
            assertEquals(before > 0 && !prefix.equals("00012") ? before : before + 1, upstream.requestsFor(prefix), "requests for " + prefix);
        }
    }

    @Test
    void aKilledSyncResumesWithoutFetchingAnySavedRangeAgain() throws Exception {
        int last = 0x00FFF;
        int concurrency = 4;
        upstream = new CorpusUpstream(corpus);
        upstream.delay(2);
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.pwcheck.Main",
                "mirror", "sync", "--dir", dir.toString(), "--upstream", upstream.url(), "--only", "00000-" + name(last),
                "--concurrency", String.valueOf(concurrency))
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (upstream.totalRequests() < 800 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(child.isAlive(), "the sync was still running when killed: " + Files.readString(dir.resolve("child.log")));
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        upstream.delay(0);
        // A write cut short by the kill looks like this: a torn entry at the end of the journal.
        Path journalFile = dir.resolve(".sync-sha1.journal");
        Files.write(journalFile, new byte[] { 0x50, 0x57, 0x4A, 0x31, 0, 0 }, StandardOpenOption.APPEND);
        List<String> saved = new ArrayList<>();
        try (SyncJournal journal = SyncJournal.open(journalFile, HashMode.SHA1)) {
            IntStream.rangeClosed(0, last).filter(journal::has).forEach(p -> saved.add(name(p)));
        }
        assertTrue(saved.size() >= 700, "ranges saved before the kill: " + saved.size());
        Map<String, Integer> beforeResume = snapshot();

        MirrorStore store = MirrorStore.open(sync(last, concurrency), true);

        for (String prefix : saved) {
            assertEquals(beforeResume.get(prefix), upstream.requestsFor(prefix), "a saved range is not fetched again: " + prefix);
        }
        int refetched = (int) IntStream.rangeClosed(0, last).filter(p -> upstream.requestsFor(name(p)) > 1).count();
        // In flight at the kill, handed over and not yet written (up to MAX_HANDED_OVER), or written but waiting in
        // memory for the ranges before them (up to --concurrency).
        assertTrue(refetched <= 2 * concurrency + RangeSync.MAX_HANDED_OVER,
                "only ranges in flight or waiting for the store at the kill are fetched twice: " + refetched);
        assertEquals(last + 1, store.presentRanges());
        corpus.hashes().forEach((hash, count) -> assertEquals(count, MirrorStoreTest.countOf(store, hash)));
    }

    @Test
    void rangesTheStoreHasAreJournalledWithoutTheirRecords() throws Exception {
        upstream = new CorpusUpstream(corpus);
        upstream.script("000F0", attempt -> new Scripted(404, "no such range", null));

        assertThrows(StoreException.class, () -> sync(0x000FF, 1));

        try (SyncJournal journal = SyncJournal.open(dir.resolve(".sync-sha1.journal"), HashMode.SHA1)) {
            for (int p = 0; p < 0x000F0; p++) {
                assertTrue(journal.isStored(p), "in the partial store: " + name(p));
                assertFalse(journal.hasRange(p), "and so not journalled whole: " + name(p));
            }
        }
        assertTrue(Files.size(dir.resolve(".sync-sha1.journal")) < Files.size(dir.resolve(".sync-sha1.partial")),
                "the records are written once, into the partial store");
    }

    @Test
    void aPartialStoreThatLostWhatTheJournalSaysItHoldsIsCheckedAndTheLostRangesFetchedAgain() throws Exception {
        upstream = new CorpusUpstream(corpus);
        upstream.script("000F0", attempt -> new Scripted(404, "no such range", null));
        assertThrows(StoreException.class, () -> sync(0x000FF, 1));
        // A power cut can keep the journal's entries and lose the file data they point at (blocks read back as
        // zeros, the size as it was): here, the second half of the records.
        Path partial = dir.resolve(".sync-sha1.partial");
        long half = StoreFormat.RECORDS_AT + (Files.size(partial) - StoreFormat.RECORDS_AT) / 2;
        try (java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(partial, StandardOpenOption.WRITE)) {
            file.write(java.nio.ByteBuffer.allocate((int) (Files.size(partial) - half)), half);
        }
        Map<String, Integer> beforeResume = snapshot();
        upstream.script("000F0", attempt -> null);

        MirrorStore store = MirrorStore.open(sync(0x000FF, 1), true);

        assertEquals(0x00100, store.presentRanges());
        corpus.hashes().forEach((hash, count) -> {
            if (Integer.parseInt(hash.substring(0, 5), 16) <= 0x000FF) {
                assertEquals(count, MirrorStoreTest.countOf(store, hash), hash);
            }
        });
        long refetched = IntStream.range(0, 0x000F0).filter(p -> upstream.requestsFor(name(p)) > beforeResume.getOrDefault(name(p), 0)).count();
        assertTrue(refetched > 0 && refetched < 0x000F0, "the ranges past the cut, only: " + refetched);
        assertEquals(1, upstream.requestsFor("00000"), "a range still in the partial store is not fetched again");
    }

    @Test
    void aSecondSyncIntoTheSameDirectoryStopsAtOnce() throws Exception {
        upstream = new CorpusUpstream(corpus);
        try (SyncJournal running = SyncJournal.open(dir.resolve(".sync-sha1.journal"), HashMode.SHA1)) {
            StoreException refused = assertThrows(StoreException.class, () -> sync(0x0000F));

            assertTrue(refused.getMessage().contains("another mirror sync is running into " + dir), refused.getMessage());
            assertEquals(0, upstream.totalRequests());
        }
    }

    @Test
    void theCommandLineReportsProgressAndTheStore() throws Exception {
        upstream = new CorpusUpstream(corpus);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = MirrorCommand.run(new String[] { "sync", "--dir", dir.toString(), "--upstream", upstream.url(), "--only", "00000-000FF" },
                new PrintStream(out, true), new PrintStream(err, true));

        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        String progress = err.toString(StandardCharsets.UTF_8);
        assertTrue(progress.contains("100.0%  256/256 ranges"), progress);
        assertTrue(progress.contains("ranges/s  ETA"), progress);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("in 256 of 1,048,576 ranges"), out.toString());
    }

    @Test
    void aCompactSyncAnswersEveryHashInSevenBytesAHash() throws Exception {
        upstream = new CorpusUpstream(corpus);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = MirrorCommand.run(new String[] { "sync", "--dir", dir.toString(), "--upstream", upstream.url(), "--only", "00000-000FF",
                "--format", "compact" }, new PrintStream(out, true), new PrintStream(err, true));

        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        MirrorStore store = MirrorStore.open(dir.resolve("sha1.pwstore"), true);
        assertEquals(StoreFormat.Kind.COMPACT, store.kind());
        corpus.hashes().entrySet().stream().filter(e -> Integer.parseInt(e.getKey().substring(0, 5), 16) <= 0xFF)
                .forEach(e -> assertEquals(e.getValue(), MirrorStoreTest.countOf(store, e.getKey())));
        long overflow = corpus.hashes().entrySet().stream().filter(e -> Integer.parseInt(e.getKey().substring(0, 5), 16) <= 0xFF)
                .filter(e -> e.getValue() > StoreFormat.MAX_INLINE_COUNT).count();
        assertEquals(StoreFormat.RECORDS_AT + 7 * store.hashes() + 8 * overflow, java.nio.file.Files.size(store.file()));
    }

    @Test
    void aStoppingSyncDoesNotWaitOutTheBackOffOfOtherRanges() throws Exception {
        upstream = new CorpusUpstream(corpus);
        // One range asks to be retried in 5 minutes; another cannot be had, which stops the sync.
        upstream.script("00003", attempt -> new Scripted(503, "busy", "300"));
        upstream.script("00040", attempt -> new Scripted(404, "no such range", null));
        long start = System.nanoTime();

        StoreException stopped = assertThrows(StoreException.class, () -> sync(0x000FF));

        assertTrue(stopped.getMessage().contains("range 00040 answered HTTP 404"), stopped.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60), "stopped without waiting out the 300 s Retry-After");
        assertEquals(1, upstream.requestsFor("00003"), "the retry waiting out its back-off was not made");
        upstream.script("00003", attempt -> null);
        upstream.script("00040", attempt -> null);
        MirrorStore store = MirrorStore.open(sync(0x000FF), true);
        assertEquals(0x100, store.presentRanges(), "the next run fetches what the stopped one left");
    }

    private Path sync(int last) throws IOException, InterruptedException {
        return sync(last, 8);
    }

    private Path sync(int last, int concurrency) throws IOException, InterruptedException {
        return sync(last, concurrency, 5);
    }

    private Path sync(int last, int concurrency, int retries) throws IOException, InterruptedException {
        RangeSync.Settings settings = new RangeSync.Settings(URI.create(upstream.url()), HashMode.SHA1, concurrency, retries,
                Duration.ofSeconds(5), 0, last);
        return new RangeSync(settings, new Progress("ranges", last + 1L, new PrintStream(new ByteArrayOutputStream()), false),
                new PrintStream(new ByteArrayOutputStream())).run(dir);
    }

    private Map<String, Integer> snapshot() {
        Map<String, Integer> counts = new HashMap<>();
        upstream.requests().forEach((prefix, count) -> counts.put(prefix, count.get()));
        return counts;
    }

    private static String name(int prefix) {
        return String.format(Locale.ROOT, "%05X", prefix);
    }
}
