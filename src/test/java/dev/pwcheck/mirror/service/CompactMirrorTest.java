package dev.pwcheck.mirror.service;

import dev.pwcheck.mirror.corpus.CorpusImport;
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
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.pwcheck.support.Checks.checkPassword;
import static dev.pwcheck.support.Hashes.prefix;
import static dev.pwcheck.support.Hashes.sha1;
import static dev.pwcheck.support.Hashes.suffix;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A compact store in mirror-then-upstream mode: checks answer from it, /range goes to the cache and upstream. */
@QuarkusTest
@TestProfile(CompactMirrorTest.MirrorThenUpstream.class)
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class CompactMirrorTest {

    static final Path DIR = Path.of("target", "test-mirror", "compact").toAbsolutePath();
    static final String BREACHED = "P@ssw0rd";

    public static class MirrorThenUpstream implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pwcheck.source", "mirror-then-upstream", "pwcheck.mirror.dir", DIR.toString(), "pwcheck.mirror.reload-interval", "1h");
        }
    }

    @InjectFakeUpstream
    WireMockServer upstream;

    @Inject
    Mirror mirror;

    @BeforeEach
    void compactStore() throws IOException {
        upstream.resetAll();
        installCompact(Corpus.random(9, 40, List.of(prefix(sha1(BREACHED))), 400).put(sha1(BREACHED), 31_337), DIR, mirror);
    }

    /** Imports {@code corpus} as a compact SHA-1 store into {@code dir} and has the mirror take it now. */
    static void installCompact(Corpus corpus, Path dir, Mirror mirror) throws IOException {
        new CorpusImport(HashMode.SHA1, StoreFormat.Kind.COMPACT, true, MirrorStoreTest.quiet())
                .run(corpus.writeRangeFiles(Files.createTempDirectory("ranges")), dir.resolve("sha1.pwstore"));
        mirror.reload();
    }

    @Test
    void checksAnswerFromTheCompactStore() {
        assertEquals(StoreFormat.Kind.COMPACT, mirror.store(HashMode.SHA1).kind());
        checkPassword(BREACHED).header("X-Pwcheck-Source", "mirror").body("count", equalTo(31_337));
        upstream.verify(0, getRequestedFor(urlEqualTo("/range/" + prefix(sha1(BREACHED)))));
    }

    @Test
    void rangeRequestsGoToTheUpstreamBecauseACompactStoreHoldsNoWholeSuffixes() {
        String path = "/range/" + prefix(sha1(BREACHED));
        upstream.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withStatus(200).withBody(suffix(sha1(BREACHED)) + ":31337")));

        given().when().get(path).then().statusCode(200).header("X-Pwcheck-Source", "upstream")
                .body(equalTo(suffix(sha1(BREACHED)) + ":31337"));
        upstream.verify(1, getRequestedFor(urlEqualTo(path)));
    }
}
