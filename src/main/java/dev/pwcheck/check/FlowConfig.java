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

    enum OnBreachedWithMfa {
        RESET_AFTER_MFA,
        REQUIRE_RESET
    }

    enum OnUnknown {
        ALLOW,
        DENY
    }
}
