package dev.pwcheck.client.spring;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.authentication.password.CompromisedPasswordException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blocking checker against the packaged service and the bundled fake upstream, and against services that fail. */
class PwcheckCompromisedPasswordCheckerTest {

    static final String BREACHED = "password";           // seen 1,000 times in the fake upstream
    static final String SHORT_BREACHED = "qwerty";       // seen 1,003 times
    static final String CLEAN = "a long and unusual passphrase of my own";
    @Test
    void aBreachedPasswordIsCompromisedWithItsCountAndTheLoginAction() throws Exception {
        PwcheckPasswordDecision decision = new PwcheckCompromisedPasswordChecker(Services.open().baseUrl()).check(BREACHED);

        assertTrue(decision.isCompromised());
        assertEquals(PwcheckPasswordDecision.Verdict.BREACHED, decision.getVerdict());
        assertEquals(1000, decision.getCount());
        assertEquals("require-reset", decision.getAction());
        assertTrue(decision.isAnswered());
        assertTrue(List.of("upstream", "cache").contains(decision.getSource()), decision.getSource());
    }

    @Test
    void aCleanPasswordIsNotCompromised() throws Exception {
        PwcheckPasswordDecision decision = new PwcheckCompromisedPasswordChecker(Services.open().baseUrl()).check(CLEAN);

        assertFalse(decision.isCompromised());
        assertEquals(PwcheckPasswordDecision.Verdict.CLEAN, decision.getVerdict());
        assertEquals(0, decision.getCount());
        assertEquals("allow", decision.getAction());
    }

    @Test
    void aNullPasswordIsNotCompromisedAndNothingIsAsked() {
        // A base URL where nothing listens: a request would be an unanswered decision, not this one.
        PwcheckPasswordDecision decision = new PwcheckCompromisedPasswordChecker("http://127.0.0.1:" + PackagedService.freePort()).check(null);

        assertFalse(decision.isCompromised());
        assertEquals(PwcheckPasswordDecision.Verdict.UNKNOWN, decision.getVerdict());
        assertNull(decision.getAction());
    }

    @Test
    void aServiceThatNeverAnswersIsNotCompromisedWithinThreeSeconds() throws Exception {
        try (PackagedService.Silent silent = new PackagedService.Silent()) {
            PwcheckCompromisedPasswordChecker checker = new PwcheckCompromisedPasswordChecker(silent.baseUrl());
            long start = System.nanoTime();
            PwcheckPasswordDecision decision = checker.check(BREACHED);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "gave up after " + took);
            assertTrue(took.compareTo(Duration.ofMillis(1900)) > 0, "waited its 2 s read timeout, not less: " + took);
            assertEquals(1, silent.connections(), "it connected and waited");
            assertFalse(decision.isCompromised());
            assertFalse(decision.isAnswered());
            assertEquals(PwcheckPasswordDecision.Verdict.UNKNOWN, decision.getVerdict());
            assertEquals("allow", decision.getAction());
        }
    }

    @Test
    void aServiceThatNeverAnswersIsCompromisedWhenSetToFailClosed() throws Exception {
        try (PackagedService.Silent silent = new PackagedService.Silent()) {
            PwcheckCompromisedPasswordChecker checker = new PwcheckCompromisedPasswordChecker(silent.baseUrl());
            checker.setUnreachableIsCompromised(true);
            checker.setReadTimeout(Duration.ofMillis(500));
            long start = System.nanoTime();
            PwcheckPasswordDecision decision = checker.check(CLEAN);

            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(2)) < 0);
            assertTrue(decision.isCompromised());
            assertEquals("require-reset", decision.getAction());
        }
    }

    @Test
    void aServiceWhereNothingListensIsNotCompromised() {
        PwcheckPasswordDecision decision = new PwcheckCompromisedPasswordChecker("http://127.0.0.1:" + PackagedService.freePort()).check(BREACHED);

        assertFalse(decision.isCompromised());
        assertFalse(decision.isAnswered());
    }

    @Test
    void theFlowDecidesWithTheServicesPolicy() throws Exception {
        PwcheckCompromisedPasswordChecker checker = new PwcheckCompromisedPasswordChecker(Services.open().baseUrl());
        checker.setFlow("registration");
        PwcheckPasswordDecision breached = checker.check(SHORT_BREACHED);
        assertTrue(breached.isCompromised());
        assertEquals("reject", breached.getAction());
        assertEquals(1003, breached.getCount());
        assertEquals("accept", checker.check(CLEAN).getAction());

        checker.setFlow("api-key");
        assertEquals("reject", checker.check(BREACHED).getAction());
        assertFalse(checker.check(CLEAN).isCompromised());

        checker.setFlow(null);
        PwcheckPasswordDecision corpusOnly = checker.check(BREACHED);
        assertTrue(corpusOnly.isCompromised());
        assertNull(corpusOnly.getAction());

        assertThrows(IllegalArgumentException.class, () -> checker.setFlow("signup"));
    }

    @Test
    void passwordsTheServiceWouldRefuseAsInputAreLookedUpByTheirHash() throws Exception {
        PwcheckCompromisedPasswordChecker checker = new PwcheckCompromisedPasswordChecker(Services.open().baseUrl());

        PwcheckPasswordDecision empty = checker.check("");
        PwcheckPasswordDecision overLong = checker.check("x".repeat(2000));

        assertTrue(empty.isAnswered(), "an empty password is looked up, not refused");
        assertTrue(overLong.isAnswered(), "a password over 1,024 bytes is looked up, not refused");
        assertEquals(PwcheckPasswordDecision.Verdict.CLEAN, overLong.getVerdict());
    }

    @Test
    void aRestClientOfTheApplicationsIsUsedAsItIs() throws Exception {
        RestClient client = RestClient.builder().baseUrl(Services.open().baseUrl()).build();
        PwcheckCompromisedPasswordChecker checker = new PwcheckCompromisedPasswordChecker(client);

        assertTrue(checker.check(BREACHED).isCompromised());
        assertThrows(IllegalStateException.class, () -> checker.setReadTimeout(Duration.ofSeconds(1)),
                "the given client owns its timeouts");
    }

    @Test
    void theApiKeyIsSentAndARefusedKeyFailsOpen() throws Exception {
        PwcheckCompromisedPasswordChecker checker = new PwcheckCompromisedPasswordChecker(Services.keyed().baseUrl());
        checker.setApiKey(Services.API_KEY);
        assertTrue(checker.check(BREACHED).isCompromised());

        checker.setApiKey("not-the-key");
        PwcheckPasswordDecision refused = checker.check(BREACHED);
        assertFalse(refused.isAnswered());
        assertFalse(refused.isCompromised(), "a refused key fails open, as an outage does");
    }

    @Test
    void daoAuthenticationProviderRefusesASignInWithABreachedPassword() throws Exception {
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager(
                User.withUsername("breached").password("{noop}" + BREACHED).roles("USER").build(),
                User.withUsername("careful").password("{noop}" + CLEAN).roles("USER").build());
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setCompromisedPasswordChecker(new PwcheckCompromisedPasswordChecker(Services.open().baseUrl()));

        assertThrows(CompromisedPasswordException.class,
                () -> provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("breached", BREACHED)));
        Authentication signedIn = provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("careful", CLEAN));
        assertTrue(signedIn.isAuthenticated());
    }
}
