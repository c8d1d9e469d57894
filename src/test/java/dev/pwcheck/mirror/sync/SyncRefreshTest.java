package dev.pwcheck.mirror.sync;

import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.mirror.cli.MirrorCommandLineTest;
import dev.pwcheck.mirror.service.Mirror;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.support.InjectFakeUpstream;
import dev.pwcheck.support.NginxUpstream;
import dev.pwcheck.support.RangeFilesNginx;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mirror sync} refreshing a store from a real upstream (Debian's nginx serving 1,024 range files, with the ETags
 * and 304s nginx gives static files): the same command on the same directory asks every range with If-None-Match and
 * keeps the stored ranges on 304; after ten files change, exactly those ten are fetched, and the store the service
 * swaps in serves them as the upstream now has them; a refresh stopped part way resumes.
 */
@QuarkusTest
@QuarkusTestResource(value = NginxUpstream.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "ranges", value = "1024"))
@TestProfile(SyncRefreshTest.MirrorOnly.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncRefreshTest {

    static final Path DIR = Path.of("target", "test-mirror", "refresh").toAbsolutePath();
    static final int RANGES = 1024;
    static final Pattern SUMMARY = Pattern.compile("Synced in [0-9.]+ s \\(fetching [0-9.]+ s, then finishing the store [0-9.]+ s\\): (?:([0-9,]+) ranges changed, ([0-9,]+) unchanged \\(304\\); )?([0-9,]+) bytes");

    public static class MirrorOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pwcheck.source", "mirror", "pwcheck.mirror.dir", DIR.toString(), "pwcheck.mirror.reload-interval", "1h");
        }
    }

    @InjectFakeUpstream
    RangeFilesNginx nginx;

    @Inject
    Mirror mirror;

    private MirrorCommandLineTest.Run sync() {
        MirrorCommandLineTest.Run run = MirrorCommandLineTest.run("sync", "--dir", DIR.toString(), "--upstream", nginx.url(),
                "--only", "00000-003FF", "--concurrency", "8");
        assertEquals(0, run.status(), run.err());
        return run;
    }

    private static long[] summary(MirrorCommandLineTest.Run run) {
        Matcher m = SUMMARY.matcher(run.out());
        assertTrue(m.find(), run.out());
        return new long[] {m.group(1) == null ? -1 : Long.parseLong(m.group(1).replace(",", "")),
                m.group(2) == null ? -1 : Long.parseLong(m.group(2).replace(",", "")), Long.parseLong(m.group(3).replace(",", ""))};
    }

    private List<RangeFilesNginx.Logged> requestsSince(int before) {
        List<RangeFilesNginx.Logged> all = nginx.awaitLogged(before + 1);
        return all.subList(before, all.size());
    }

    @Test
    @Order(1)
    void theSameSyncAgainIsAnsweredByNotModifiedWithAlmostNoBytes() throws Exception {
        deleteDir(DIR);
        long firstBytes = summary(sync())[2];
        int before = nginx.log().size();

        long[] again = summary(sync());

        List<RangeFilesNginx.Logged> refresh = nginx.awaitLogged(before + RANGES).subList(before, before + RANGES);
        long notModified = refresh.stream().filter(l -> l.status() == 304).count();
        assertTrue(notModified * 100 >= 99L * RANGES, "at least 99% answered 304: " + notModified);
        assertEquals(0, again[0], "no range changed");
        assertEquals(RANGES, again[1]);
        assertTrue(again[2] * 100 <= 5 * firstBytes, "at most 5% of the first sync's bytes: " + again[2] + " of " + firstBytes);
    }

    @Test
    @Order(2)
    void afterTenRangesChangeExactlyThoseAreFetchedAndServedAsTheUpstreamNowHasThem() throws Exception {
        if (!Files.exists(DIR.resolve("sha1.pwstore"))) {
            sync();
        }
        Set<Integer> changed = new TreeSet<>(List.of(3, 77, 100, 256, 511, 512, 640, 800, 1000, 1023));
        for (int range : changed) {
            nginx.replace(range, "0".repeat(34) + Integer.toHexString(range % 16).toUpperCase() + ":" + (range + 1) + "\r\n"
                    + "F".repeat(35) + ":" + (range + 2));
        }
        int before = nginx.log().size();

        long[] refreshed = summary(sync());

        Set<Integer> fetchedWhole = requestsSince(before).stream().filter(l -> l.status() == 200)
                .map(l -> Integer.parseInt(l.uri().substring("/range/".length()), 16)).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(changed, fetchedWhole, "exactly the changed ranges came whole");
        assertEquals(10, refreshed[0]);
        assertEquals(RANGES - 10, refreshed[1]);

        mirror.reload();
        for (int range : List.of(3, 4, 511, 1023)) {
            String prefix = RangeFilesNginx.prefix(range);
            String file = Files.readString(nginx.rangeFile(range));
            String served = given().when().get("/range/" + prefix).then().statusCode(200).header("X-Pwcheck-Source", "mirror").extract().asString();
            assertEquals(file, served, "range " + prefix + " as the upstream now has it");
        }
    }

    @Test
    @Order(3)
    void aRefreshStoppedPartWayResumesWithoutAskingAgain() throws Exception {
        if (!Files.exists(DIR.resolve("sha1.pwstore"))) {
            sync();
        }
        // What a refresh killed after its first 100 answers leaves: their 304s in the journal.
        MirrorStore store = MirrorStore.open(DIR.resolve("sha1.pwstore"), true);
        EtagIndex etags = EtagIndex.readFor(store);
        try (SyncJournal journal = SyncJournal.open(DIR.resolve(".sync-sha1.journal"), HashMode.SHA1)) {
            for (int p = 0; p < 100; p++) {
                journal.appendNotModified(p, etags.get(p));
            }
        }
        int before = nginx.log().size();

        MirrorCommandLineTest.Run resumed = sync();

        assertTrue(resumed.err().contains("Resuming: 100 of 1,024"), resumed.err());
        assertEquals(RANGES - 100, requestsSince(before).size(), "the 100 in the journal were not asked again");
        assertEquals(RANGES - 100, summary(resumed)[1], "the rest answered 304");
        mirror.reload();
        assertEquals(Files.readString(nginx.rangeFile(5)), given().when().get("/range/00005").then().statusCode(200).extract().asString());
    }

    @Test
    @Order(4)
    void aStoreWithoutETagsIsRefreshedByAFullSync() throws Exception {
        if (!Files.exists(DIR.resolve("sha1.pwstore"))) {
            sync();
        }
        // As a store written before ETags were kept: none beside it.
        Files.delete(EtagIndex.fileFor(DIR.resolve("sha1.pwstore")));
        int before = nginx.log().size();

        long[] refreshed = summary(sync());

        assertEquals(RANGES, requestsSince(before).stream().filter(l -> l.status() == 200).count(), "every range fetched whole");
        assertEquals(RANGES, refreshed[0]);
        assertTrue(Files.exists(EtagIndex.fileFor(DIR.resolve("sha1.pwstore"))), "and the ETags kept this time");
    }

    @Test
    @Order(5)
    void aCompactStoreIsRefreshedTheSameWay() throws Exception {
        Path dir = DIR.resolveSibling("refresh-compact");
        deleteDir(dir);
        String[] command = {"sync", "--dir", dir.toString(), "--upstream", nginx.url(), "--only", "00000-003FF", "--format", "compact"};
        assertEquals(0, MirrorCommandLineTest.run(command).status());
        RangeFilesNginx.Known kept = RangeFilesNginx.breached(600);
        nginx.replace(601, "F".repeat(35) + ":42");
        int before = nginx.log().size();

        MirrorCommandLineTest.Run refreshed = MirrorCommandLineTest.run(command);

        assertEquals(0, refreshed.status(), refreshed.err());
        assertEquals(1, summary(refreshed)[0], refreshed.out());
        assertEquals(1, requestsSince(before).stream().filter(l -> l.status() == 200).count());
        MirrorStore compact = MirrorStore.open(dir.resolve("sha1.pwstore"), true);
        assertEquals(StoreFormat.Kind.COMPACT, compact.kind());
        assertEquals(kept.count(), compact.count(600, dev.pwcheck.hash.Hex.packSuffix(kept.sha1(), 5)), "a 304 range kept from the old store");
        assertEquals(42, compact.count(601, dev.pwcheck.hash.Hex.packSuffix("F".repeat(35), 0)), "the changed range as it is now");
    }

    private static void deleteDir(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
