package dev.pwcheck.mirror.service;

import dev.pwcheck.mirror.store.FilterStores;
import dev.pwcheck.mirror.store.StoreFormat;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.format.HashMode;
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
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static dev.pwcheck.support.Checks.checkPassword;
import static dev.pwcheck.support.Hashes.line;
import static dev.pwcheck.support.Hashes.prefix;
import static dev.pwcheck.support.Hashes.rangeBody;
import static dev.pwcheck.support.Hashes.sha1;
import static dev.pwcheck.support.Hashes.suffix;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A filter store in mirror-then-upstream mode: a password the filter does not hold is clean at once, and not even
 * its prefix leaves the process; one it may hold is answered by the cache and the upstream, with its exact count.
 */
@QuarkusTest
@TestProfile(FilterMirrorTest.MirrorThenUpstream.class)
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class FilterMirrorTest {

    static final Path DIR = Path.of("target", "test-mirror", "filter").toAbsolutePath();
    static final String[] CORPUS = {"P@ssw0rd", "hunter2", "correct horse"};
    static final String[] ABSENT = {"a password of my own 1", "a password of my own 2", "a password of my own 3"};

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

    @Inject
    ServiceState service;

    @BeforeEach
    void filterStore() throws IOException {
        service.reset();
        upstream.resetAll();
        Map<String, Integer> hashes = new HashMap<>();
        for (int i = 0; i < CORPUS.length; i++) {
            hashes.put(sha1(CORPUS[i]), 100 + i);
            upstream.stubFor(get(urlEqualTo("/range/" + prefix(sha1(CORPUS[i])))).willReturn(aResponse().withStatus(200)
                    .withBody(rangeBody(line("0".repeat(35), 4), line(suffix(sha1(CORPUS[i])), 52_000 + i)))));
        }
        FilterStores.write(hashes, DIR, 1);
        mirror.reload();
        assertEquals(StoreFormat.Kind.FILTER, mirror.store(HashMode.SHA1).kind());
    }

    @Test
    void aPasswordTheFilterDoesNotHoldIsCleanWithNoUpstreamCall() {
        for (String absent : ABSENT) {
            checkPassword(absent).header("X-Pwcheck-Source", "mirror").body("verdict", equalTo("clean")).body("count", equalTo(0));
        }
        upstream.verify(0, getRequestedFor(urlMatching("/range/.*")));
    }

    @Test
    void aPasswordTheFilterMayHoldIsAnsweredByTheUpstreamWithItsExactCount() {
        for (int i = 0; i < CORPUS.length; i++) {
            checkPassword(CORPUS[i]).header("X-Pwcheck-Source", "upstream").body("verdict", equalTo("breached")).body("count", equalTo(52_000 + i));
            upstream.verify(1, getRequestedFor(urlEqualTo("/range/" + prefix(sha1(CORPUS[i])))));
        }
    }
}
