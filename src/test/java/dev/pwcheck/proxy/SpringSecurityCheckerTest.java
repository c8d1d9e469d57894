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
import java.util.LinkedHashMap;
import java.util.Map;

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
        HibpClientTest.serveEveryOtherPassword(upstream);
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
