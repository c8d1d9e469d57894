package dev.pwcheck.upstream;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each upstream setting from its key, else its old name, else its default; and the line that says which. */
class UpstreamTargetTest {

    static UpstreamTarget target(Map<String, String> properties) {
        SmallRyeConfig config = UpstreamTarget.builder().withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        return UpstreamTarget.of(config.getConfigMapping(UpstreamConfig.class), config);
    }

    @Test
    void nothingSetIsHibpWithTheDefaults() {
        UpstreamTarget target = target(Map.of());

        assertEquals("https://api.pwnedpasswords.com", target.shown());
        assertEquals(Duration.ofMillis(300), target.connectTimeout());
        assertEquals(Duration.ofMillis(800), target.readTimeout());
        assertTrue(target.trust().isEmpty());
        assertEquals("Upstream https://api.pwnedpasswords.com (defaults; set pwcheck.upstream.url to change it)", target.describe());
    }

    @Test
    void theNewKeysAreDurations() {
        UpstreamTarget target = target(Map.of("pwcheck.upstream.url", "https://mirror.internal:8443/hibp/",
                "pwcheck.upstream.connect-timeout", "250ms", "pwcheck.upstream.read-timeout", "2s",
                "pwcheck.upstream.trust-store", "/etc/ca.p12", "pwcheck.upstream.trust-store-password", "secret-pass"));

        assertEquals("https://mirror.internal:8443/hibp", target.shown());
        assertEquals(Duration.ofMillis(250), target.connectTimeout());
        assertEquals(Duration.ofSeconds(2), target.readTimeout());
        assertEquals("/etc/ca.p12", target.trust().orElseThrow().path());
        assertEquals(List.of("pwcheck.upstream.url", "pwcheck.upstream.connect-timeout", "pwcheck.upstream.read-timeout",
                "pwcheck.upstream.trust-store", "pwcheck.upstream.trust-store-password"), target.sources());
        assertFalse(target.describe().contains("secret-pass"), "the start-up line names keys, never a password");
        assertFalse(target.trust().orElseThrow().toString().contains("secret-pass"));
    }

    @Test
    void theOldNamesKeepWorkingTheirTimeoutsInMilliseconds() {
        UpstreamTarget target = target(Map.of("quarkus.rest-client.hibp.url", "http://old.internal",
                "quarkus.rest-client.hibp.connect-timeout", "500", "quarkus.rest-client.hibp.trust-store-type", "PEM",
                "quarkus.rest-client.hibp.trust-store", "/etc/ca.pem"));

        assertEquals("http://old.internal", target.shown());
        assertEquals(Duration.ofMillis(500), target.connectTimeout());
        assertEquals("PEM", target.trust().orElseThrow().type());
        assertTrue(target.describe().contains("quarkus.rest-client.hibp.url (the old name of pwcheck.upstream.url)"), target.describe());
        assertTrue(target.describe().contains("quarkus.rest-client.hibp.connect-timeout (the old name of pwcheck.upstream.connect-timeout, in milliseconds)"));
    }

    @Test
    void aNewKeyWinsOverItsOldName() {
        UpstreamTarget target = target(Map.of("pwcheck.upstream.url", "http://new.internal", "quarkus.rest-client.hibp.url", "http://old.internal"));

        assertEquals("http://new.internal", target.shown());
        assertEquals(List.of("pwcheck.upstream.url"), target.sources());
    }

    @Test
    void aBareNumberCarriedOverFromTheOldKeyIsRefusedNotWaitedFor() {
        // "300" under the new name is 300 seconds: a slip from the old key's milliseconds, refused at start.
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> target(Map.of("pwcheck.upstream.connect-timeout", "300")));
        assertTrue(refused.getMessage().contains("pwcheck.upstream.connect-timeout must be above 0 and at most 60 s, such as 300ms"), refused.getMessage());
    }

    @Test
    void anOldNamesTimeoutIsTakenAsItAlwaysWas() {
        // Two minutes in milliseconds under the old name: a deployment's choice, not a slip, and it still starts.
        assertEquals(Duration.ofMinutes(2), target(Map.of("quarkus.rest-client.hibp.read-timeout", "120000")).readTimeout());
    }

    @Test
    void aUrlThatIsNotHttpIsRefusedByItsKey() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> target(Map.of("pwcheck.upstream.url", "ftp://x")));
        assertEquals("pwcheck.upstream.url must be an http:// or https:// URL with a host", refused.getMessage());
    }

    @Test
    void outsideTheServiceTheSameKeysComeFromSystemPropertiesAndTheEnvironment() {
        System.setProperty("pwcheck.upstream.url", "http://127.0.0.1:4567");
        try {
            UpstreamTarget target = UpstreamTarget.fromEnvironment();
            assertEquals("http://127.0.0.1:4567", target.shown());
            assertEquals(List.of("pwcheck.upstream.url"), target.sources());
        } finally {
            System.clearProperty("pwcheck.upstream.url");
        }
    }
}
