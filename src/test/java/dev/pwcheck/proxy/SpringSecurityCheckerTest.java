package dev.pwcheck.proxy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.Checks;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import dev.pwcheck.support.ServiceState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.springframework.security.web.authentication.password.HaveIBeenPwnedRestApiPasswordChecker;
import org.springframework.web.client.RestClient;

import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * Spring Security's own {@code CompromisedPasswordChecker} for HIBP, pointed at /range by its base URL only, agrees
 * with /v1/passwords/check on every password tried: what a Spring application switching to this service would see.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class SpringSecurityCheckerTest {

    @InjectFakeUpstream
    WireMockServer upstream;

    @Inject
    ServiceState service;

    @TestHTTPResource("/range/")
    URL range;

    @Test
    void springSecuritysHibpCheckerAgreesWithTheCheckEndpoint() {
        service.reset();
        upstream.resetAll();
        Map<String, List<String>> ranges = new HashMap<>();
        for (int i = 0; i < HibpClientTest.PASSWORDS.size(); i++) {
            String hash = sha1(HibpClientTest.PASSWORDS.get(i));
            List<String> lines = ranges.computeIfAbsent(prefix(hash), p -> new ArrayList<>(List.of(line("1".repeat(35), 2))));
            // Every other password is in the corpus.
            if (i % 2 == 0) {
                lines.add(line(suffix(hash), 1000 + i));
            }
        }
        ranges.forEach((prefix, lines) -> upstream.stubFor(get(urlPathEqualTo("/range/" + prefix))
                .willReturn(aResponse().withStatus(200).withBody(String.join("\r\n", lines)))));
        HaveIBeenPwnedRestApiPasswordChecker spring = new HaveIBeenPwnedRestApiPasswordChecker();
        spring.setRestClient(RestClient.builder().baseUrl(range.toString()).build());

        Map<String, Boolean> ours = new LinkedHashMap<>();
        Map<String, Boolean> theirs = new LinkedHashMap<>();
        for (String password : HibpClientTest.PASSWORDS) {
            theirs.put(password, spring.check(password).isCompromised());
            ours.put(password, "breached".equals(Checks.checkPassword(password).extract().path("verdict")));
        }

        assertEquals(ours, theirs);
        assertEquals(HibpClientTest.PASSWORDS.size() / 2 + 1, ours.values().stream().filter(b -> b).count(),
                "every other password is breached: " + ours);
    }
}
