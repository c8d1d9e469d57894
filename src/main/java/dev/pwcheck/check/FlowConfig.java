package dev.pwcheck.check;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.OptionalInt;

/**
 * Per-flow policy ({@code pwcheck.flows.<flow>.*}). Every flow accepts on unknown by default: an upstream outage
 * must not lock users out of login or stop sign-ups, and the caller can still see {@code verdict: unknown}.
 */
@ConfigMapping(prefix = "pwcheck.flows")
public interface FlowConfig {

    Policy login();

    Policy registration();

    Policy reset();

    interface Policy {
        /** Threshold for this flow (at least 1); unset = {@code pwcheck.min-count}. */
        OptionalInt minCount();

        /** The action when the verdict is unknown: {@code allow} (proceed) or {@code deny} (as if breached). */
        @WithDefault("allow")
        OnUnknown onUnknown();
    }

    enum OnUnknown {
        ALLOW,
        DENY
    }
}
