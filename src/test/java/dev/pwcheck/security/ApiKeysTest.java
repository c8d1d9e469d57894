package dev.pwcheck.security;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeysTest {

    static String hashOf(String key) {
        return HexFormat.of().formatHex(ApiKeys.sha256(key));
    }

    private final ApiKeys keys = ApiKeys.parse(List.of("login:" + hashOf("login-key-1"), "registration:" + hashOf("registration-key-2").toUpperCase()));

    @Test
    void aConfiguredKeyNamesItsCaller() {
        assertEquals(Optional.of("login"), keys.callerOf("login-key-1"));
        assertEquals(Optional.of("registration"), keys.callerOf("registration-key-2"));
    }

    @Test
    void aKeyOneCharacterOffIsNobody() {
        assertEquals(Optional.empty(), keys.callerOf("login-key-2"));
        assertEquals(Optional.empty(), keys.callerOf(""));
    }

    @Test
    void theConfiguredHashIsNotItselfAKey() {
        assertEquals(Optional.empty(), keys.callerOf(hashOf("login-key-1")));
    }

    @Test
    void aMalformedEntryIsRefusedWithoutQuotingIt() {
        String badHash = hashOf("x").substring(1);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse(List.of("reset:" + badHash)));
        assertTrue(refused.getMessage().contains("entry 1"), refused.getMessage());
        assertFalse(refused.getMessage().contains(badHash));
    }

    @Test
    void aCallerNamedTwiceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse(List.of("login:" + hashOf("a"), "login:" + hashOf("b"))));
    }
}
