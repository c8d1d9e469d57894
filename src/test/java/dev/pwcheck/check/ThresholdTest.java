package dev.pwcheck.check;

import static dev.pwcheck.support.Checks.checkPassword;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.pwcheck.support.Hashes.line;
import static dev.pwcheck.support.Hashes.rangeBody;
import static dev.pwcheck.support.Hashes.sha1;
import static dev.pwcheck.support.Hashes.suffix;
import static org.hamcrest.Matchers.equalTo;

/** pwcheck.min-count: a hash seen fewer times than the threshold is clean, at or above it breached. */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
@TestProfile(ThresholdTest.MinCountTen.class)
class ThresholdTest {

    public static class MinCountTen implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pwcheck.min-count", "10");
        }
    }

    @InjectFakeUpstream
    WireMockServer upstream;

    @BeforeEach
    void serveOneRangeWithThreeCounts() {
        // Three passwords chosen to share nothing but being in this answer; each test asks for one.
        upstream.resetAll();
        for (String[] entry : new String[][] { { "seen-nine-times", "9" }, { "seen-ten-times", "10" }, { "seen-eleven-times", "11" } }) {
            String hash = sha1(entry[0]);
            upstream.stubFor(get(urlEqualTo("/range/" + hash.substring(0, 5)))
                    .willReturn(aResponse().withStatus(200).withBody(rangeBody(line(suffix(hash), Long.parseLong(entry[1]))))));
        }
    }

    private static void verdictOf(String password, String verdict, int count) {
        checkPassword(password)
                .body("verdict", equalTo(verdict))
                .body("count", equalTo(count));
    }

    @Test
    void belowTheThresholdIsClean() {
        verdictOf("seen-nine-times", "clean", 0);
    }

    @Test
    void atTheThresholdIsBreached() {
        verdictOf("seen-ten-times", "breached", 10);
    }

    @Test
    void aboveTheThresholdIsBreached() {
        verdictOf("seen-eleven-times", "breached", 11);
    }
}
