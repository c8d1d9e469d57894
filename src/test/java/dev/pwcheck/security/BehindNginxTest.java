package dev.pwcheck.security;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.AdjustableTicker;
import dev.pwcheck.support.FakeUpstream;
import dev.pwcheck.support.InjectFakeUpstream;
import dev.pwcheck.support.LocalNginx;
import dev.pwcheck.support.RawHttp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URL;
import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Per-IP limits behind a real nginx that appends to X-Forwarded-For (the usual ingress setting). nginx runs on
 * 127.0.0.1 and is the only trusted proxy; clients connect to it from 127.0.0.2 and 127.0.0.3, so each test is
 * several real clients. Burst 2 per IP; the test clock only moves when told, so nothing refills behind our back.
 */
@QuarkusTest
@TestProfile(BehindNginxTest.AppendingProxy.class)
@QuarkusTestResource(value = FakeUpstream.class, restrictToAnnotatedClass = true)
class BehindNginxTest {

    public static class AppendingProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true", "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1",
                    "pwcheck.rate-limit.enabled", "true",
                    "pwcheck.rate-limit.per-ip-rate", "1", "pwcheck.rate-limit.per-ip-burst", "2");
        }
    }

    static final InetAddress CLIENT_A = address("127.0.0.2");
    static final InetAddress CLIENT_B = address("127.0.0.3");

    static LocalNginx nginx;

    @InjectFakeUpstream
    WireMockServer upstream;

    @Inject
    AdjustableTicker ticker;

    @TestHTTPResource("/")
    URL service;

    @BeforeEach
    void proxyAndFullBuckets() {
        if (nginx == null) {
            nginx = LocalNginx.proxyTo(service.getPort());
        }
        upstream.stubFor(get(urlPathMatching("/range/.*")).willReturn(aResponse().withStatus(200).withBody("0000000000000000000000000000000000A:1")));
        ticker.advance(Duration.ofMinutes(1));
    }

    @AfterAll
    static void stopNginx() {
        if (nginx != null) {
            nginx.close();
            nginx = null;
        }
    }

    private static int range(InetAddress client, String forwardedFor) throws Exception {
        String header = forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n";
        return RawHttp.getStatusFrom(client, nginx.url(), "/range/5BAA6", header);
    }

    @Test
    void spoofedLeftmostAddressesShareTheRealClientsBucket() throws Exception {
        assertEquals(200, range(CLIENT_A, "1.1.1.1"));
        assertEquals(200, range(CLIENT_A, "2.2.2.2"));
        assertEquals(429, range(CLIENT_A, "3.3.3.3"), "a new leftmost address must not open a new bucket");
        assertEquals(429, range(CLIENT_A, "127.0.0.3"), "nor may the client borrow another client's address");
        assertEquals(429, range(CLIENT_A, null));
    }

    @Test
    void twoRealClientsHaveTheirOwnBuckets() throws Exception {
        assertEquals(200, range(CLIENT_A, null));
        assertEquals(200, range(CLIENT_A, null));
        assertEquals(429, range(CLIENT_A, null));

        assertEquals(200, range(CLIENT_B, null));
        assertEquals(200, range(CLIENT_B, "127.0.0.2"));
        assertEquals(429, range(CLIENT_B, null));
    }

    @Test
    void forgedHeadersNeverFailARequestNorChooseABucket() throws Exception {
        String hundredHops = String.join(", ", java.util.Collections.nCopies(100, "198.51.100.7"));
        String[] forged = { "garbage", "unknown", "[2001:db8::1]:443", "2001:db8::1", "203.0.113.9:8080", "_hidden, ;;, ===",
                hundredHops, "300.1.1.1", "127.0.0.1" };
        assertEquals(200, range(CLIENT_A, forged[0]));
        assertEquals(200, range(CLIENT_A, forged[1]));
        for (int i = 2; i < forged.length; i++) {
            assertEquals(429, range(CLIENT_A, forged[i]), forged[i]);
        }
        assertEquals(200, range(CLIENT_B, hundredHops), "the other client's bucket is untouched");
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
