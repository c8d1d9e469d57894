package dev.pwcheck.mirror.service;

import dev.pwcheck.mirror.corpus.CorpusImport;
import dev.pwcheck.mirror.store.MirrorStoreTest;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.support.Corpus;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import dev.pwcheck.support.ServiceState;
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
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.pwcheck.support.Checks.checkPassword;
import static dev.pwcheck.support.Hashes.line;
import static dev.pwcheck.support.Hashes.prefix;
import static dev.pwcheck.support.Hashes.sha1;
import static dev.pwcheck.support.Hashes.suffix;
import static org.hamcrest.Matchers.equalTo;

/** With pwcheck.source=mirror-then-upstream, the mirror answers for what it holds and the upstream for the rest. */
@QuarkusTest
@TestProfile(MirrorThenUpstreamTest.MirrorFirst.class)
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class MirrorThenUpstreamTest {

    static final Path DIR = Path.of("target", "test-mirror", "mirror-then-upstream").toAbsolutePath();
    static final String IN_MIRROR = "P@ssw0rd";
    static final String NOT_IN_MIRROR = "hunter2";

    public static class MirrorFirst implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pwcheck.source", "mirror-then-upstream", "pwcheck.mirror.dir", DIR.toString());
        }
    }

    @InjectFakeUpstream
    WireMockServer upstream;

    @Inject
    Mirror mirror;

    @Inject
    ServiceState service;

    @BeforeEach
    void install() throws IOException {
        service.reset();
        upstream.resetAll();
        Corpus corpus = Corpus.random(1, 40, List.of(prefix(sha1(IN_MIRROR))), 100).put(sha1(IN_MIRROR), 9);
        new CorpusImport(HashMode.SHA1, true, MirrorStoreTest.quiet()).run(corpus.writeRangeFiles(Files.createTempDirectory("ranges")),
                DIR.resolve("sha1.pwstore"));
        mirror.reload();
        String hash = sha1(NOT_IN_MIRROR);
        upstream.stubFor(get(urlEqualTo("/range/" + prefix(hash))).willReturn(aResponse().withStatus(200).withBody(line(suffix(hash), 17))));
    }

    @Test
    void aRangeTheMirrorHoldsIsAnsweredFromIt() {
        checkPassword(IN_MIRROR).body("count", equalTo(9)).header("X-Pwcheck-Source", "mirror");
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aRangeTheMirrorLacksIsFetchedFromUpstream() {
        checkPassword(NOT_IN_MIRROR).body("count", equalTo(17)).header("X-Pwcheck-Source", "upstream");
        upstream.verify(1, getRequestedFor(urlEqualTo("/range/" + prefix(sha1(NOT_IN_MIRROR)))));
    }
}
