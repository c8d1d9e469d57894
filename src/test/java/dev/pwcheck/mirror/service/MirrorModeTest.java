package dev.pwcheck.mirror.service;

import dev.pwcheck.mirror.corpus.CorpusImport;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.MirrorStoreTest;
import dev.pwcheck.mirror.store.StoreFormat;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.support.Corpus;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.pwcheck.support.Management.management;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static dev.pwcheck.support.Checks.checkPassword;
import static dev.pwcheck.support.Checks.checkSha1;
import static dev.pwcheck.support.Hashes.prefix;
import static dev.pwcheck.support.Hashes.sha1;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With pwcheck.source=mirror, checks and /range answer from a store built from downloader files, with no upstream at all. */
@QuarkusTest
@TestProfile(MirrorModeTest.MirrorOnly.class)
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class MirrorModeTest {

    static final Path DIR = Path.of("target", "test-mirror", "mirror-only").toAbsolutePath();
    static final String BREACHED = "P@ssw0rd";
    static final String CLEAN = "a password nobody has breached";

    public static class MirrorOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pwcheck.source", "mirror", "pwcheck.mirror.dir", DIR.toString(), "pwcheck.mirror.reload-interval", "200ms");
        }
    }

    @InjectFakeUpstream
    WireMockServer upstream;

    @Inject
    Mirror mirror;

    @BeforeEach
    void reset() {
        upstream.resetAll();
    }

    /** Random hashes in the ranges of both test passwords, plus the breached one with a known count. */
    static Corpus corpus(int breachedCount) {
        return Corpus.random(11, 40, List.of(prefix(sha1(BREACHED)), prefix(sha1(CLEAN)), "00000"), 500).put(sha1(BREACHED), breachedCount);
    }

    void install(Corpus corpus, HashMode mode) throws IOException {
        Path files = corpus.writeRangeFiles(Files.createTempDirectory("ranges"));
        new CorpusImport(mode, true, MirrorStoreTest.quiet()).run(files, DIR.resolve(StoreFormat.fileName(mode)));
        mirror.reload();
    }

    @Test
    void aBreachedPasswordIsFoundInTheMirrorWithNoUpstreamRequest() throws IOException {
        install(corpus(52_256), HashMode.SHA1);

        checkPassword(BREACHED).body("verdict", equalTo("breached")).body("count", equalTo(52_256)).header("X-Pwcheck-Source", "mirror");
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void theStoreInServiceIsDescribedInMetricsWithItsBuildTime() throws IOException {
        install(corpus(52_256), HashMode.SHA1);
        MirrorStore store = mirror.store(HashMode.SHA1);

        String metrics = dev.pwcheck.support.Metrics.scrape();
        assertTrue(metrics.contains("pwcheck_mirror_store_created_seconds{mode=\"sha1\"} " + (double) store.createdAt().getEpochSecond()), metrics);
        assertTrue(metrics.contains("pwcheck_mirror_hashes{mode=\"sha1\"} " + (double) store.hashes()), metrics);
    }

    @Test
    void aPasswordAbsentFromAHeldRangeIsClean() throws IOException {
        install(corpus(52_256), HashMode.SHA1);

        checkPassword(CLEAN).body("verdict", equalTo("clean")).body("count", equalTo(0)).header("X-Pwcheck-Source", "mirror");
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aRangeTheStoreLacksIsUnknownWithoutAskingUpstream() throws IOException {
        install(corpus(52_256), HashMode.SHA1);

        checkSha1("FFFFF" + "0".repeat(35)).body("verdict", equalTo("unknown")).header("X-Pwcheck-Source", "none");
        given().when().get("/range/FFFFF").then().statusCode(503).contentType("application/problem+json");
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void theRangeEndpointGivesBackTheImportedFileExactly() throws IOException {
        Corpus corpus = corpus(52_256);
        install(corpus, HashMode.SHA1);

        for (Map.Entry<String, String> range : corpus.rangeTexts().entrySet()) {
            String served = given().when().get("/range/" + range.getKey()).then().statusCode(200)
                    .header("X-Pwcheck-Source", "mirror").extract().asString();
            assertEquals(range.getValue(), served, "range " + range.getKey());
        }
    }

    @Test
    void aPaddedRangeHoldsTheImportedLinesAmongCountZeroOnes() throws IOException {
        Corpus corpus = corpus(52_256);
        install(corpus, HashMode.SHA1);
        String prefix = prefix(sha1(BREACHED));

        String padded = given().header("Add-Padding", "true").when().get("/range/" + prefix).then().statusCode(200).extract().asString();

        String real = Arrays.stream(padded.split("\r\n")).filter(line -> !line.endsWith(":0")).collect(Collectors.joining("\r\n"));
        assertEquals(corpus.rangeTexts().get(prefix), real);
        assertTrue(padded.split("\r\n").length >= 800);
    }

    @Test
    void aMirrorRangeCarriesAnETagThatRevalidates() throws IOException {
        install(corpus(52_256), HashMode.SHA1);
        String prefix = prefix(sha1(BREACHED));

        String etag = given().when().get("/range/" + prefix).then().statusCode(200)
                .header("Cache-Control", startsWith("public, max-age=")).extract().header("ETag");
        given().header("If-None-Match", etag).header("Add-Padding", "true").when().get("/range/" + prefix).then().statusCode(304);
    }

    @Test
    void ntlmRangesComeFromTheirOwnStore() throws IOException {
        Corpus ntlm = Corpus.random(5, 32, List.of("8846F"), 400);
        install(ntlm, HashMode.NTLM);

        given().queryParam("mode", "ntlm").when().get("/range/8846f").then().statusCode(200)
                .header("X-Pwcheck-Source", "mirror").body(equalTo(ntlm.rangeTexts().get("8846F")));
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aNewStoreIsTakenIntoServiceWithoutARestart() throws IOException, InterruptedException {
        install(corpus(1), HashMode.SHA1);
        checkPassword(BREACHED).body("count", equalTo(1));

        // Written as mirror import writes it, and left for the watcher to find.
        Path files = corpus(4_000_000).writeRangeFiles(Files.createTempDirectory("ranges"));
        new CorpusImport(HashMode.SHA1, true, MirrorStoreTest.quiet()).run(files, DIR.resolve("sha1.pwstore"));

        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int count = 0;
        while (System.nanoTime() < until && (count = checkPassword(BREACHED).extract().path("count")) != 4_000_000) {
            Thread.sleep(50);
        }
        assertEquals(4_000_000, count);
    }

    @Test
    void aCorruptStoreIsRefusedAndTheOneInServiceStays() throws IOException {
        install(corpus(77), HashMode.SHA1);
        Path store = DIR.resolve("sha1.pwstore");
        byte[] bytes = Files.readAllBytes(store);
        bytes[bytes.length - 100] ^= 0x01;
        Path corrupt = Files.write(DIR.resolve(".corrupt"), bytes);
        Files.move(corrupt, store, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        mirror.reload();

        checkPassword(BREACHED).body("verdict", equalTo("breached")).body("count", equalTo(77)).header("X-Pwcheck-Source", "mirror");
    }

    @Test
    void theReplicaIsReadyOnceAStoreIsInService() throws IOException {
        install(corpus(3), HashMode.SHA1);

        management().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
