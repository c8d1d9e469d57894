package dev.pwcheck.check;

import dev.pwcheck.range.Source;
import static dev.pwcheck.support.Checks.checkPassword;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.ServiceState;
import dev.pwcheck.support.InjectFakeUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.pwcheck.support.Hashes.line;
import static dev.pwcheck.support.Hashes.prefix;
import static dev.pwcheck.support.Hashes.rangeBody;
import static dev.pwcheck.support.Hashes.sha1;
import static dev.pwcheck.support.Hashes.suffix;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

/**
 * Whatever goes wrong upstream, a check with no cached range answers 200 unknown (source none) within the
 * upstream timeout (1 s in tests), nothing from the faulty answer is cached, and the next healthy answer is used.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class UpstreamFailureTest {

    static final String PASSWORD = "failure-mode-password";
    static final String HASH = sha1(PASSWORD);
    static final String PATH = "/range/" + prefix(HASH);

    @InjectFakeUpstream
    WireMockServer upstream;

    @Inject
    ServiceState service;

    @BeforeEach
    void reset() {
        upstream.resetAll();
        service.reset();
    }

    private void answerUnknownThenRecover(ResponseDefinitionBuilder fault) {
        upstream.stubFor(get(urlEqualTo(PATH)).willReturn(fault));

        checkPassword(PASSWORD)
                // Source none is the outcome; the bound only catches a hang, with room for a busy machine.
                .time(lessThan(10_000L), TimeUnit.MILLISECONDS)
                .header(Source.HEADER, "none")
                .body("verdict", equalTo("unknown"))
                .body("count", equalTo(0));

        service.awaitNoFetches();
        // Nothing of the faulty answer was cached: once upstream heals, the next check asks again and gets it right.
        upstream.resetAll();
        upstream.stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody(rangeBody(line(suffix(HASH), 9)))));
        checkPassword(PASSWORD)
                .header(Source.HEADER, "upstream")
                .body("verdict", equalTo("breached"))
                .body("count", equalTo(9));
        upstream.verify(1, getRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void aServerErrorIsUnknown() {
        answerUnknownThenRecover(aResponse().withStatus(500).withBody("oops"));
    }

    @Test
    void aBadGatewayIsUnknown() {
        answerUnknownThenRecover(aResponse().withStatus(502));
    }

    @Test
    void serviceUnavailableIsUnknown() {
        answerUnknownThenRecover(aResponse().withStatus(503).withHeader("Retry-After", "1"));
    }

    @Test
    void aRateLimitIsUnknown() {
        answerUnknownThenRecover(aResponse().withStatus(429).withHeader("Retry-After", "2"));
    }

    @Test
    void anUnexpectedStatusIsUnknown() {
        answerUnknownThenRecover(aResponse().withStatus(404));
    }

    @Test
    void aNoContentAnswerIsUnknownNotAnEmptyRange() {
        answerUnknownThenRecover(aResponse().withStatus(204));
    }

    @Test
    void aRedirectIsUnknownNotAnEmptyRange() {
        answerUnknownThenRecover(aResponse().withStatus(301).withHeader("Location", "http://127.0.0.1:1/elsewhere"));
    }

    @Test
    void aBodyDeclaredOver2MiBIsRefusedBeforeReadingIt() {
        answerUnknownThenRecover(aResponse().withStatus(200).withBody(new byte[10 * 1024 * 1024]));
    }

    @Test
    void aSlowUpstreamIsUnknownWithinTheTimeout() {
        answerUnknownThenRecover(aResponse().withStatus(200).withFixedDelay(5000).withBody(rangeBody(line(suffix(HASH), 9))));
    }

    @Test
    void anHtmlErrorPageIsUnknown() {
        answerUnknownThenRecover(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                .withBody("<html><body><h1>Checking your browser</h1></body></html>"));
    }

    @Test
    void aTruncatedLineIsUnknownRatherThanHalfUsed() {
        answerUnknownThenRecover(aResponse().withStatus(200)
                .withBody(rangeBody(line(suffix(HASH), 9), "0000000000000000000000000000000000A:")));
    }

    @Test
    void aShortSuffixIsUnknown() {
        answerUnknownThenRecover(aResponse().withStatus(200).withBody(rangeBody(line(suffix(HASH), 9), "00000000000000000000000000000000A:3")));
    }

    @Test
    void aBodyOver2MiBIsUnknown() {
        String lineText = line("0000000000000000000000000000000000A", 1);
        answerUnknownThenRecover(aResponse().withStatus(200)
                .withBody(rangeBody(line(suffix(HASH), 9)) + ("\r\n" + lineText).repeat(2 * 1024 * 1024 / lineText.length() + 1)));
    }

    @Test
    void aBlankLineInsideTheAnswerIsUnknown() {
        answerUnknownThenRecover(aResponse().withStatus(200).withBody(rangeBody(line(suffix(HASH), 9), "", line(suffix(HASH), 9))));
    }

    @Test
    void aConnectionResetIsUnknown() {
        answerUnknownThenRecover(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    }

    @Test
    void anEmptyResponseIsUnknown() {
        answerUnknownThenRecover(aResponse().withFault(Fault.EMPTY_RESPONSE));
    }

    @Test
    void aMalformedChunkIsUnknown() {
        answerUnknownThenRecover(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));
    }

    @Test
    void randomDataThenCloseIsUnknown() {
        answerUnknownThenRecover(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE));
    }
}
