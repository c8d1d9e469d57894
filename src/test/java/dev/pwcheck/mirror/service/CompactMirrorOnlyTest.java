package dev.pwcheck.mirror.service;

import dev.pwcheck.support.Corpus;
import dev.pwcheck.support.FakeUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.pwcheck.support.Checks.checkPassword;
import static dev.pwcheck.support.Hashes.prefix;
import static dev.pwcheck.support.Hashes.sha1;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** A compact store as the only source: checks answer from it; /range cannot be served, and says why. */
@QuarkusTest
@TestProfile(CompactMirrorOnlyTest.MirrorOnly.class)
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class CompactMirrorOnlyTest {

    static final Path DIR = Path.of("target", "test-mirror", "compact-only").toAbsolutePath();
    static final String BREACHED = "letmein";

    public static class MirrorOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pwcheck.source", "mirror", "pwcheck.mirror.dir", DIR.toString(), "pwcheck.mirror.reload-interval", "1h");
        }
    }

    @Inject
    Mirror mirror;

    @BeforeEach
    void compactStore() throws IOException {
        CompactMirrorTest.installCompact(Corpus.random(10, 40, List.of(prefix(sha1(BREACHED))), 400).put(sha1(BREACHED), 4_242), DIR, mirror);
    }

    @Test
    void checksAnswerFromTheCompactStore() {
        checkPassword(BREACHED).header("X-Pwcheck-Source", "mirror").body("verdict", equalTo("breached")).body("count", equalTo(4_242));
    }

    @Test
    void rangeRequestsAre503AndSayTheStoreIsCompact() {
        given().when().get("/range/" + prefix(sha1(BREACHED))).then().statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("compact"));
    }
}
