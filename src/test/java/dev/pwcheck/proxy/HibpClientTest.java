package dev.pwcheck.proxy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import dev.pwcheck.support.NodeScript;
import dev.pwcheck.support.ServiceState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.pwcheck.support.Hashes.line;
import static dev.pwcheck.support.Hashes.prefix;
import static dev.pwcheck.support.Hashes.sha1;
import static dev.pwcheck.support.Hashes.suffix;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An HIBP client nobody here wrote (the npm package "hibp"), pointed at /range by its base URL only, agrees with
 * /v1/passwords/check on every password tried: breached, clean, Unicode, with and without padding.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class HibpClientTest {

    static final List<String> PASSWORDS = List.of("password", "P@ssw0rd", "hunter2", "correct horse battery staple",
            "Pässwörd€", "パスワード", " leading and trailing spaces ", "not in any breach 5f3a", "emoji 🔑 key");

    @InjectFakeUpstream
    WireMockServer upstream;

    @Inject
    ServiceState service;

    @TestHTTPResource("/")
    URL url;

    @Test
    void theHibpNpmClientAgreesWithTheCheckEndpoint() throws Exception {
        service.reset();
        serveEveryOtherPassword(upstream);

        NodeScript.Result run = NodeScript.run("hibp-client.e2e.mjs", Map.of(
                "PWCHECK_URL", url.toString(),
                "PASSWORDS", toJson(PASSWORDS)));

        assertEquals(0, run.exitCode(), run.output());
    }

    /** Stubs the ranges of {@link #PASSWORDS}: every other one is in the corpus, with a distinct count. */
    static void serveEveryOtherPassword(WireMockServer upstream) {
        upstream.resetAll();
        Map<String, List<String>> ranges = new HashMap<>();
        for (int i = 0; i < PASSWORDS.size(); i++) {
            String hash = sha1(PASSWORDS.get(i));
            List<String> lines = ranges.computeIfAbsent(prefix(hash), p -> new ArrayList<>(List.of(line("1".repeat(35), 2))));
            if (i % 2 == 0) {
                lines.add(line(suffix(hash), 1000 + i));
            }
        }
        ranges.forEach((prefix, lines) -> upstream.stubFor(get(urlPathEqualTo("/range/" + prefix))
                .willReturn(aResponse().withStatus(200).withBody(String.join("\r\n", lines)))));
    }

    private static String toJson(List<String> values) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(values);
    }
}
