package dev.pwcheck.client.spring;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs after every other class (junit-platform.properties orders classes by {@link Order}): nothing the checkers sent,
 * no password and no key, is in either service's log, written at DEBUG for the service's own code.
 */
@Order(Integer.MAX_VALUE)
class ServiceLogTest {

    /** Every password and key the other classes send. */
    static final List<String> SENT = List.of("password", "qwerty", PwcheckCompromisedPasswordCheckerTest.CLEAN, "Zq9#vL2",
            "x".repeat(2000), Services.API_KEY, "not-the-key");

    @Test
    void nothingSentReachedTheServicesLogs() throws Exception {
        for (PackagedService service : List.of(Services.open(), Services.keyed())) {
            String log = service.log();
            assertTrue(log.contains("Profile prod activated"), "the log was read: " + log);
            for (String secret : SENT) {
                assertFalse(log.contains(secret), "the service's log holds something a test sent");
            }
        }
    }
}
