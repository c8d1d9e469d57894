package dev.pwcheck.mirror.service;

import dev.pwcheck.mirror.store.FilterStores;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.format.HashMode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static dev.pwcheck.support.Checks.checkPassword;
import static dev.pwcheck.support.Hashes.prefix;
import static dev.pwcheck.support.Hashes.sha1;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A filter store in mirror mode (no upstream): a hit is breached with the build threshold as its count (a lower
 * bound), a miss is clean, and /range is refused because a filter keeps no hashes.
 */
@QuarkusTest
@TestProfile(FilterMirrorOnlyTest.MirrorOnly.class)
class FilterMirrorOnlyTest {

    static final Path DIR = Path.of("target", "test-mirror", "filter-only").toAbsolutePath();

    public static class MirrorOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pwcheck.source", "mirror", "pwcheck.mirror.dir", DIR.toString(), "pwcheck.mirror.reload-interval", "1h",
                    "pwcheck.upstream.url", "http://127.0.0.1:1");
        }
    }

    @Inject
    Mirror mirror;

    @BeforeEach
    void filterStore() throws IOException {
        // Built with --min-count 1, the default threshold of every flow.
        FilterStores.write(Map.of(sha1("P@ssw0rd"), 52_256, sha1("hunter2"), 7), DIR, 1);
        mirror.reload();
        assertEquals(StoreFormat.Kind.FILTER, mirror.store(HashMode.SHA1).kind());
    }

    @Test
    void aHitIsBreachedWithTheBuildThresholdAsItsCount() {
        checkPassword("P@ssw0rd").header("X-Pwcheck-Source", "mirror").body("verdict", equalTo("breached")).body("count", equalTo(1));
        checkPassword("a password of my own").header("X-Pwcheck-Source", "mirror").body("verdict", equalTo("clean"));
    }

    @Test
    void rangesAreNotServedFromAFilter() {
        given().when().get("/range/" + prefix(sha1("P@ssw0rd"))).then().statusCode(503)
                .contentType("application/problem+json").body("detail", containsString("filter"));
    }
}
