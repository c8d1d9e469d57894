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
     * Login with a second factor: the password is breached; let the user complete the second factor, then sign them
     * out and have them choose a new password (rubygems.org's flow).
     */
    RESET_AFTER_MFA,
    /** Registration or reset: take the password. */
    ACCEPT,
    /** Registration or reset: refuse the password and ask for another. */
    REJECT;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
