package dev.pwcheck.mirror.service;

import dev.pwcheck.support.PackagedService;
import dev.pwcheck.support.RangeFilesNginx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One writer, many readers, as the Kubernetes mirror overlay runs them: three packaged replicas in mirror mode on one
 * store directory while {@code mirror sync --format filter} (the packaged jar too, the overlay's format) refreshes it
 * from a real upstream (nginx over range files), with a changed range and 256 new ones. Checks run against all three
 * throughout: each replica swaps in the refreshed store within its reload interval and serves the changed and the new
 * ranges within 20 s, and no check fails or turns {@code unknown} during the swaps; the store replaced stays linked
 * for replicas on other hosts of a network file system. A refresh that fails part way leaves every replica on the
 * store it had.
 */
class MirrorFleetIT {

    /** Served by nginx: the first sync asks 1,024 of them, the refresh 1,280. */
    static final int RANGES = 0x500;
    /** A range the refresh changes: its new hash and count. */
    static final int CHANGED = 0x2A7;
    /** A range the first sync does not ask (--only 00000-003FF) and the refresh does (--only 00000-004FF). */
    static final int NEW_RANGE = 0x4C1;
    static final String NEW_HASH = RangeFilesNginx.prefix(CHANGED) + "ABCDEF0123456789ABCDEF0123456789ABC";
    static final String LATER_HASH = RangeFilesNginx.prefix(CHANGED) + "0123456789ABCDEF0123456789ABCDEF012";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<PackagedService> replicas = new ArrayList<>();
    private RangeFilesNginx nginx;
    private Path dir;

    @BeforeEach
    void firstSyncThenThreeReplicas() throws Exception {
        nginx = RangeFilesNginx.serve(RANGES, RangeFilesNginx.Options.defaults());
        dir = Files.createTempDirectory("pwcheck-fleet");
        assertEquals(0, sync("003FF").exitValue());
        for (int i = 0; i < 3; i++) {
            replicas.add(PackagedService.start(Map.of("PWCHECK_SOURCE", "mirror", "PWCHECK_MIRROR_DIR", dir.toString(),
                    "PWCHECK_MIRROR_RELOAD_INTERVAL", "1s", "PWCHECK_UPSTREAM_URL", "http://127.0.0.1:1")));
        }
    }

    @AfterEach
    void stop() {
        replicas.forEach(PackagedService::close);
        nginx.close();
    }

    /** {@code mirror sync} of the served ranges into the shared directory, as the CronJob runs it; waits for it to end. */
    private Process sync(String last) throws Exception {
        Path log = Files.createTempFile("pwcheck-fleet-sync", ".log");
        Process sync = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-jar", System.getProperty("pwcheck.jar"), "mirror", "sync", "--dir", dir.toString(), "--upstream", nginx.url(),
                "--only", "00000-" + last, "--concurrency", "8", "--retries", "1", "--format", "filter")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(sync.waitFor(300, TimeUnit.SECONDS), "mirror sync did not end");
        System.out.println(Files.readString(log, StandardCharsets.UTF_8));
        return sync;
    }

    /** The verdict and count a replica gives for {@code sha1}, as "breached 1"; anything but a 200 is a failure. */
    private String answer(PackagedService replica, String sha1) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(replica.base() + "/v1/passwords/check"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sha1\":\"" + sha1 + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            return "status " + answer.statusCode() + " " + answer.body();
        }
        String body = answer.body();
        return body.replaceAll(".*\"verdict\":\"([a-z]+)\".*", "$1") + " " + body.replaceAll(".*\"count\":([0-9]+).*", "$1");
    }

    /** Checks against every replica, round and round, until stopped: any answer but the one expected is kept. */
    private final class Checker extends Thread {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong checks = new AtomicLong();
        final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();

        @Override
        public void run() {
            RangeFilesNginx.Known breached = RangeFilesNginx.breached(5);
            RangeFilesNginx.Known absent = RangeFilesNginx.absent(CHANGED);
            while (running.get()) {
                for (PackagedService replica : replicas) {
                    try {
                        String got = answer(replica, breached.sha1());
                        // A filter keeps no counts: a hit answers its build threshold, 1.
                        if (!got.equals("breached 1")) {
                            wrong.add(replica.base() + " " + breached.sha1() + ": " + got);
                        }
                        String clean = answer(replica, absent.sha1());
                        if (!clean.equals("clean 0")) {
                            wrong.add(replica.base() + " " + absent.sha1() + ": " + clean);
                        }
                        checks.addAndGet(2);
                    } catch (Exception e) {
                        wrong.add(replica.base() + ": " + e);
                    }
                }
            }
        }

        List<String> finish() throws InterruptedException {
            running.set(false);
            join(30_000);
            assertTrue(checks.get() > 0, "checks ran");
            return List.copyOf(wrong);
        }
    }

    private String rangeWith(String hash, int count) throws java.io.IOException {
        // The range's own lines, one of them replaced: the same size of range, a new hash in it.
        String[] lines = Files.readString(nginx.rangeFile(CHANGED), StandardCharsets.US_ASCII).split("\r\n");
        lines[0] = hash.substring(5) + ":" + count;
        java.util.Arrays.sort(lines);
        return String.join("\r\n", lines);
    }

    @Test
    void everyReplicaServesTheRefreshWithinTwentySecondsWithoutAFailedCheck_andAFailedRefreshChangesNothing() throws Exception {
        String inNewRange = RangeFilesNginx.breached(NEW_RANGE).sha1();
        for (PackagedService replica : replicas) {
            assertEquals("clean 0", answer(replica, NEW_HASH), "before the refresh");
            assertTrue(answer(replica, inNewRange).startsWith("unknown"), "a range the store does not hold yet");
        }
        Object firstStore = Files.getAttribute(dir.resolve("sha1.pwstore"), "unix:ino");
        Checker checker = new Checker();
        checker.start();
        nginx.replace(CHANGED, rangeWith(NEW_HASH, 777));

        Process refresh = sync("004FF");
        long refreshed = System.nanoTime();
        assertEquals(0, refresh.exitValue());
        for (PackagedService replica : replicas) {
            for (String hash : List.of(NEW_HASH, inNewRange)) {
                String got = answer(replica, hash);
                while (!got.equals("breached 1") && System.nanoTime() - refreshed < TimeUnit.SECONDS.toNanos(20)) {
                    Thread.sleep(100);
                    got = answer(replica, hash);
                }
                assertEquals("breached 1", got, replica.base() + " serves the refreshed and the new ranges within 20 s");
            }
        }
        assertEquals(firstStore, Files.getAttribute(dir.resolve(".sha1.pwstore.previous"), "unix:ino"),
                "the store replaced is still on the volume, for replicas on other hosts still mapping it");
        List<String> wrong = checker.finish();
        assertTrue(wrong.isEmpty(), "no check failed or turned unknown during the swap: " + wrong);

        // A refresh that fails part way: one range is gone from the upstream (404 stops a sync), another changed.
        Checker during = new Checker();
        during.start();
        nginx.replace(CHANGED, rangeWith(LATER_HASH, 999));
        Files.delete(nginx.rangeFile(0x300));
        Process failed = sync("004FF");
        assertNotEquals(0, failed.exitValue(), "the sync stops on the missing range");
        // Several reload intervals: nothing new is there to swap in.
        Thread.sleep(3_000);
        for (PackagedService replica : replicas) {
            assertEquals("breached 1", answer(replica, NEW_HASH), replica.base() + " keeps the store it had");
            assertEquals("clean 0", answer(replica, LATER_HASH), replica.base() + " serves nothing of the failed sync");
        }
        wrong = during.finish();
        assertTrue(wrong.isEmpty(), "no check failed during the failed refresh: " + wrong);
        for (PackagedService replica : replicas) {
            assertTrue(!replica.log().contains(" ERROR "), replica.log());
        }
    }
}
