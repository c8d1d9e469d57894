package dev.pwcheck.mirror.service;

import dev.pwcheck.support.FakeUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static dev.pwcheck.support.Management.management;
import static dev.pwcheck.support.Checks.checkPassword;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** In mirror-only mode with no store written yet, a replica answers unknown and says it is not ready. */
@QuarkusTest
@TestProfile(MirrorWithoutStoreTest.EmptyMirror.class)
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class MirrorWithoutStoreTest {

    public static class EmptyMirror implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pwcheck.source", "mirror",
                    "pwcheck.mirror.dir", Path.of("target", "test-mirror", "never-written").toAbsolutePath().toString());
        }
    }

    @Test
    void checksAnswerUnknown() {
        checkPassword("P@ssw0rd").body("verdict", equalTo("unknown")).header("X-Pwcheck-Source", "none");
    }

    @Test
    void theReplicaIsNotReady() {
        management().when().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
    }
}
