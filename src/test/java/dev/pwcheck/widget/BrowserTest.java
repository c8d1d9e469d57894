package dev.pwcheck.widget;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import dev.pwcheck.support.NodeScript;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static dev.pwcheck.support.Hashes.line;
import static dev.pwcheck.support.Hashes.prefix;
import static dev.pwcheck.support.Hashes.rangeBody;
import static dev.pwcheck.support.Hashes.sha1;
import static dev.pwcheck.support.Hashes.suffix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo registration page in headless Chromium (Debian's, driven by playwright-core): too short, the username in
 * disguise, breached, clean and upstream-down passwords typed as a user would, messages asserted (green only for the
 * good one), screenshots under target/e2e.
 */
@QuarkusTest
@TestProfile(BrowserTest.DemoOn.class)
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class BrowserTest {

    static final String BREACHED = "P@ssw0rd";
    static final String CLEAN = "correct horse battery staple 1234";
    static final String UNAVAILABLE = "the upstream cannot give this one";
    static final String SHORT = "abc";
    static final String USERNAME = "gemcutter-jane";
    static final String USERNAME_IN_DISGUISE = "G3mcutter-Jane!!";

    public static class DemoOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pwcheck.demo.enabled", "true");
        }
    }

    @InjectFakeUpstream
    WireMockServer upstream;

    @TestHTTPResource("/")
    URL service;

    @Test
    void theDemoPageWarnsAboutABreachedPasswordAndStaysQuietWhenItCannotTell() throws Exception {
        upstream.resetAll();
        // Every other range is clean: the refusals below come from the rule, not the corpus.
        upstream.stubFor(get(urlMatching("/range/.*")).atPriority(10).willReturn(aResponse().withStatus(200)
                .withBody(rangeBody(line("F".repeat(35), 9)))));
        upstream.stubFor(get(urlEqualTo("/range/" + prefix(sha1(BREACHED)))).willReturn(aResponse().withStatus(200)
                .withBody(rangeBody(line("0".repeat(35), 4), line(suffix(sha1(BREACHED)), 52_256)))));
        upstream.stubFor(get(urlEqualTo("/range/" + prefix(sha1(CLEAN)))).willReturn(aResponse().withStatus(200)
                .withBody(rangeBody(line("F".repeat(35), 9)))));
        upstream.stubFor(get(urlEqualTo("/range/" + prefix(sha1(UNAVAILABLE))))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Path out = Path.of("target", "e2e").toAbsolutePath();

        NodeScript.Result run = NodeScript.run("register.e2e.mjs", Map.of(
                "PWCHECK_URL", service.toString(),
                "OUT_DIR", out.toString(),
                "BREACHED_PASSWORD", BREACHED,
                "BREACHED_MESSAGE", "This password has been seen 52,256 times in data breaches. Choose another. Use at least 15 characters.",
                "CLEAN_PASSWORD", CLEAN,
                "UNAVAILABLE_PASSWORD", UNAVAILABLE,
                "SHORT_PASSWORD", SHORT,
                "SHORT_MESSAGE", "Use at least 15 characters.",
                "USERNAME", USERNAME,
                "USERNAME_PASSWORD", USERNAME_IN_DISGUISE));

        assertEquals(0, run.exitCode(), run.output());
        for (String shot : new String[] { "too-short.png", "username.png", "breached.png", "clean.png", "unavailable.png" }) {
            assertTrue(Files.size(out.resolve(shot)) > 1000, shot + " was taken");
        }
    }
}
