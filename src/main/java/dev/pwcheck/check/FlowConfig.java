package dev.pwcheck.check;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Per-flow policy ({@code pwcheck.flows.<flow>.*}). Every flow accepts on unknown by default: an upstream outage
 * must not lock users out of login or stop sign-ups, and the caller can still see {@code verdict: unknown}.
 */
@ConfigMapping(prefix = "pwcheck.flows")
public interface FlowConfig {

    LoginPolicy login();

    Policy registration();

    Policy reset();

    /** {@code pwcheck.flows.api-key.*}: a password presented to mint an API key or token outside the browser. */
    ApiKeyPolicy apiKey();

    interface Policy {
        /** Threshold for this flow (at least 1); unset = {@code pwcheck.min-count}. */
        OptionalInt minCount();

        /** The action when the verdict is unknown: {@code allow} (proceed) or {@code deny} (as if breached). */
        @WithDefault("allow")
        OnUnknown onUnknown();

        /** Least characters (code points of the NFC form); 0 = off. Unset: registration and reset 8, login 0. */
        OptionalInt minLength();

        /**
         * Least characters when the request says {@code "mfa": false} (the password is the only factor); 0 = off.
         * Unset: registration and reset 15 (NIST SP 800-63B-4), login 0.
         */
        OptionalInt minLengthSingleFactor();

        /** Most UTF-8 bytes (a bcrypt deployment sets 72); 0 = no limit below the API's own 1,024. */
        @WithDefault("0")
        int maxBytes();

        /**
         * Refuse a password that is, as a whole, a context word (pwcheck.context-words, the request's username,
         * e-mail local part or name) within one edit. Unset: registration and reset yes, login no.
         */
        Optional<Boolean> refuseContextWords();
    }

    /** Login adds what to do with a breached password when the request says the user has a second factor. */
    interface LoginPolicy extends Policy {
        /**
         * {@code reset-after-mfa}: the caller completes the second factor, then forces a reset; {@code require-reset}:
         * as without MFA.
         */
        @WithDefault("reset-after-mfa")
        OnBreachedWithMfa onBreachedWithMfa();
    }

    /**
     * The API-key flow adds the same choice. Unset, a user with a second factor is told {@code reset-after-mfa}: the
     * caller asks the second factor, refuses the key all the same and forces a reset, so a user who still holds
     * the account learns why; {@code reject} refuses the key at once, as without MFA.
     */
    interface ApiKeyPolicy extends Policy {
        @WithDefault("reset-after-mfa")
        ApiKeyOnBreachedWithMfa onBreachedWithMfa();
    }

    enum OnBreachedWithMfa {
        RESET_AFTER_MFA,
        REQUIRE_RESET
    }

    enum ApiKeyOnBreachedWithMfa {
        RESET_AFTER_MFA,
        REJECT
    }

    enum OnUnknown {
        ALLOW,
        DENY
    }
}
