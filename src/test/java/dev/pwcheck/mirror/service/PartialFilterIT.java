package dev.pwcheck.mirror.service;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.pwcheck.support.PackagedService;
import dev.pwcheck.support.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The filter trial of docs/mirror.md, with the packaged jar: a filter imported with {@code --partial} from a file of a
 * few hashes in the downloader's format answers for the ranges it holds only. In mirror-then-upstream, a hash it
 * lacks in a range it holds is clean with nothing sent, a hash it holds goes to the upstream for its exact count, and a
 * range it does not hold is asked upstream; in mirror mode that last one is unknown.
 */
class PartialFilterIT {

    /** "password", and a made-up hash in range 00000: the two ranges the trial file holds. */
    static final String HELD = "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8";
    static final String HELD_TOO = "00000" + "1".repeat(35);
    /** In a held range, not in the file. */
    static final String ABSENT_IN_HELD_RANGE = "5BAA6" + "2".repeat(35);
    /** In a range the file does not have. */
    static final String IN_RANGE_NOT_HELD = "FFFFF" + "3".repeat(35);

    static Path dir;
    static String importOutput;

    private final HttpClient http = HttpClient.newHttpClient();
    private WireMockServer upstream;
    private PackagedService service;

    @BeforeAll
    static void importTheTrialFile() throws Exception {
        Path work = Files.createTempDirectory("pwcheck-partial-filter");
        dir = work.resolve("store");
        Path trial = work.resolve("trial.txt");
        // As the downloader writes a single file: sorted by hash, HASH:COUNT, CRLF.
        Files.writeString(trial, HELD_TOO + ":7\r\n" + HELD + ":52256179\r\n", StandardCharsets.US_ASCII);
        Process importer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("pwcheck.jar"), "mirror", "import", "--dir", dir.toString(), "--from", trial.toString(),
                "--partial", "--format", "filter").redirectErrorStream(true).start();
        assertTrue(importer.waitFor(120, TimeUnit.SECONDS), "mirror import did not finish");
        importOutput = new String(importer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, importer.exitValue(), importOutput);
    }

    @BeforeEach
    void startUpstream() {
        upstream = new WireMockServer(WireMockConfiguration.options().port(Ports.free()));
        upstream.start();
        upstream.stubFor(get(urlEqualTo("/range/5BAA6")).willReturn(aResponse().withStatus(200)
                .withBody("1E4C9B93F3F0682250B6CF8331B7EE68FD8:52256179\r\n" + "4".repeat(35) + ":12\r\n")));
        upstream.stubFor(get(urlEqualTo("/range/FFFFF")).willReturn(aResponse().withStatus(200)
                .withBody("3".repeat(35) + ":31\r\n")));
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        upstream.stop();
    }

    private PackagedService start(String source) throws Exception {
        return PackagedService.start(Map.of("PWCHECK_SOURCE", source, "PWCHECK_MIRROR_DIR", dir.toString(),
                "PWCHECK_UPSTREAM_URL", upstream.baseUrl()));
    }

    private HttpResponse<String> check(String sha1) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(service.base() + "/v1/passwords/check"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"sha1\":\"" + sha1 + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return answer;
    }

    private static String source(HttpResponse<String> answer) {
        return answer.headers().firstValue("X-Pwcheck-Source").orElse("");
    }

    @Test
    void theImportSaysItHoldsTwoRanges() {
        assertTrue(importOutput.contains("filter store, 2 hashes in 2 of 1,048,576 ranges"), importOutput);
    }

    @Test
    void mirrorThenUpstreamAnswersTheHeldRangesFromTheFilterAndTheRestUpstream() throws Exception {
        service = start("mirror-then-upstream");

        HttpResponse<String> absent = check(ABSENT_IN_HELD_RANGE);
        assertEquals("{\"verdict\":\"clean\",\"count\":0}", absent.body());
        assertEquals("mirror", source(absent));
        upstream.verify(0, getRequestedFor(urlMatching("/range/.*")));

        HttpResponse<String> held = check(HELD);
        assertEquals("{\"verdict\":\"breached\",\"count\":52256179}", held.body());
        assertEquals("upstream", source(held));
        upstream.verify(1, getRequestedFor(urlEqualTo("/range/5BAA6")));

        HttpResponse<String> notHeld = check(IN_RANGE_NOT_HELD);
        assertEquals("{\"verdict\":\"breached\",\"count\":31}", notHeld.body());
        assertEquals("upstream", source(notHeld));
        upstream.verify(1, getRequestedFor(urlEqualTo("/range/FFFFF")));
        assertEquals(2, upstream.getAllServeEvents().size(), "nothing else was asked upstream");
    }

    @Test
    void mirrorModeAnswersUnknownForARangeTheFilterDoesNotHold() throws Exception {
        service = start("mirror");

        HttpResponse<String> absent = check(ABSENT_IN_HELD_RANGE);
        assertEquals("{\"verdict\":\"clean\",\"count\":0}", absent.body());
        for (String held : List.of(HELD, HELD_TOO)) {
            // No counts in a filter: a hit answers its build threshold (--min-count, 1 here), a lower bound.
            assertEquals("{\"verdict\":\"breached\",\"count\":1}", check(held).body(), held);
        }
        HttpResponse<String> notHeld = check(IN_RANGE_NOT_HELD);
        assertEquals("unknown", notHeld.body().replaceAll(".*\"verdict\":\"([a-z]+)\".*", "$1"), notHeld.body());
        upstream.verify(0, getRequestedFor(urlMatching("/range/.*")));
    }
}
