package dev.pwcheck.check;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What the caller of a flow should do with the answer, so that no caller re-implements the policy. */
public enum Action {
    /** Login: let the user in. */
    ALLOW,
    /** Login: the password is breached; sign the user in no further and have them choose a new one. */
    REQUIRE_RESET,
    /**
     * Login or API key with a second factor: the password is breached; let the user complete the second factor, then
     * sign them out (no key is made) and have them choose a new password (rubygems.org's flow).
     */
    RESET_AFTER_MFA,
    /** Registration or reset: take the password; API key: make the key. */
    ACCEPT,
    /** Registration or reset: refuse the password and ask for another; API key: make no key, have the user reset the password on the web. */
    REJECT;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
