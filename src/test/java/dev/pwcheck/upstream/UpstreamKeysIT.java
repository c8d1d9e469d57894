package dev.pwcheck.upstream;

import dev.pwcheck.support.PackagedService;
import dev.pwcheck.support.PythonFakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar finds its upstream by the new key's environment variable and, as deployments from before set it,
 * by the old one, and says at start-up which it used.
 */
class UpstreamKeysIT {

    private final PythonFakeUpstream upstream = new PythonFakeUpstream();
    private String url;
    private PackagedService service;

    @BeforeEach
    void start() {
        url = upstream.start().get("pwcheck.upstream.url");
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        upstream.stop();
    }

    private void answersThroughTheUpstream() throws Exception {
        HttpResponse<String> answer = service.check("password");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("{\"verdict\":\"breached\",\"count\":1000}", answer.body());
        assertEquals("upstream", answer.headers().firstValue("X-Pwcheck-Source").orElse(""));
    }

    @Test
    void pwcheckUpstreamUrl() throws Exception {
        service = PackagedService.start(Map.of("PWCHECK_UPSTREAM_URL", url, "PWCHECK_UPSTREAM_READ_TIMEOUT", "5s"));

        answersThroughTheUpstream();
        assertTrue(service.log().contains("Upstream " + url + " (from pwcheck.upstream.url, pwcheck.upstream.read-timeout)"), service.log());
    }

    @Test
    void theOldNameStillWorksAndIsNamedAsSuch() throws Exception {
        service = PackagedService.start(Map.of("QUARKUS_REST_CLIENT_HIBP_URL", url, "QUARKUS_REST_CLIENT_HIBP_READ_TIMEOUT", "5000"));

        answersThroughTheUpstream();
        assertTrue(service.log().contains("Upstream " + url + " (from quarkus.rest-client.hibp.url (the old name of pwcheck.upstream.url),"
                + " quarkus.rest-client.hibp.read-timeout (the old name of pwcheck.upstream.read-timeout, in milliseconds))"), service.log());
        assertFalse(service.log().contains("Unrecognized configuration key"), "the old names are not reported as ignored: " + service.log());
    }

    @Test
    void theNewNameWinsOverTheOld() throws Exception {
        service = PackagedService.start(Map.of("PWCHECK_UPSTREAM_URL", url, "QUARKUS_REST_CLIENT_HIBP_URL", "http://127.0.0.1:1"));

        answersThroughTheUpstream();
        assertTrue(service.log().contains("Upstream " + url + " (from pwcheck.upstream.url)"), service.log());
    }
}
