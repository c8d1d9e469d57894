package dev.pwcheck.client.spring;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.password.CompromisedPasswordDecision;
import org.springframework.web.reactive.function.client.WebClient;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reactive checker against the packaged service, and against a service that never answers. */
class PwcheckReactiveCompromisedPasswordCheckerTest {

    static final Duration BLOCK = Duration.ofSeconds(30);

    private static PwcheckPasswordDecision check(PwcheckReactiveCompromisedPasswordChecker checker, String password) {
        CompromisedPasswordDecision decision = checker.check(password).block(BLOCK);
        return assertInstanceOf(PwcheckPasswordDecision.class, decision);
    }

    @Test
    void aBreachedPasswordIsCompromisedAndACleanOneIsNot() throws Exception {
        PwcheckReactiveCompromisedPasswordChecker checker = new PwcheckReactiveCompromisedPasswordChecker(Services.open().baseUrl());

        PwcheckPasswordDecision breached = check(checker, PwcheckCompromisedPasswordCheckerTest.BREACHED);
        assertTrue(breached.isCompromised());
        assertEquals(PwcheckPasswordDecision.Verdict.BREACHED, breached.getVerdict());
        assertEquals(1000, breached.getCount());
        assertEquals("require-reset", breached.getAction());

        PwcheckPasswordDecision clean = check(checker, PwcheckCompromisedPasswordCheckerTest.CLEAN);
        assertFalse(clean.isCompromised());
        assertEquals(PwcheckPasswordDecision.Verdict.CLEAN, clean.getVerdict());
        assertEquals("allow", clean.getAction());
    }

    @Test
    void aNullPasswordIsNotCompromised() {
        PwcheckPasswordDecision decision = check(new PwcheckReactiveCompromisedPasswordChecker("http://127.0.0.1:" + PackagedService.freePort()), null);

        assertFalse(decision.isCompromised());
        assertNull(decision.getAction());
    }

    @Test
    void aServiceThatNeverAnswersIsNotCompromisedWithinThreeSeconds() throws Exception {
        try (PackagedService.Silent silent = new PackagedService.Silent()) {
            PwcheckReactiveCompromisedPasswordChecker checker = new PwcheckReactiveCompromisedPasswordChecker(silent.baseUrl());
            long start = System.nanoTime();
            PwcheckPasswordDecision decision = check(checker, PwcheckCompromisedPasswordCheckerTest.BREACHED);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "gave up after " + took);
            assertEquals(1, silent.connections(), "it connected and waited");
            assertFalse(decision.isCompromised());
            assertFalse(decision.isAnswered());
            assertEquals("allow", decision.getAction());
        }
    }

    @Test
    void aServiceThatNeverAnswersIsCompromisedWhenSetToFailClosed() throws Exception {
        try (PackagedService.Silent silent = new PackagedService.Silent()) {
            PwcheckReactiveCompromisedPasswordChecker checker = new PwcheckReactiveCompromisedPasswordChecker(silent.baseUrl());
            checker.setUnreachableIsCompromised(true);
            checker.setFlow("registration");
            PwcheckPasswordDecision decision = check(checker, PwcheckCompromisedPasswordCheckerTest.CLEAN);

            assertTrue(decision.isCompromised());
            assertEquals("reject", decision.getAction());
        }
    }

    @Test
    void aWebClientOfTheApplicationsIsUsedAsItIs() throws Exception {
        WebClient client = WebClient.builder().baseUrl(Services.open().baseUrl()).build();
        PwcheckReactiveCompromisedPasswordChecker checker = new PwcheckReactiveCompromisedPasswordChecker(client);
        checker.setFlow("api-key");

        PwcheckPasswordDecision decision = check(checker, PwcheckCompromisedPasswordCheckerTest.BREACHED);
        assertTrue(decision.isCompromised());
        assertEquals("reject", decision.getAction());
    }
}
