package dev.pwcheck.check;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.Optional;

/** The registry call site a check comes from; each has its own threshold and its own answer to unknown. */
public enum Flow {
    LOGIN(Action.ALLOW, Action.REQUIRE_RESET),
    REGISTRATION(Action.ACCEPT, Action.REJECT),
    RESET(Action.ACCEPT, Action.REJECT);

    private final Action proceed;
    private final Action stop;

    Flow(Action proceed, Action stop) {
        this.proceed = proceed;
        this.stop = stop;
    }

    /** What the caller does when the password may be used: let the user in, or take the new password. */
    Action proceed() {
        return proceed;
    }

    /** What the caller does when it may not: make the user reset it, or refuse it. */
    Action stop() {
        return stop;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Exact names only, so that a typo is a 400 rather than a silently different policy. */
    public static Optional<Flow> fromWire(String name) {
        for (Flow flow : values()) {
            if (flow.wire().equals(name)) {
                return Optional.of(flow);
            }
        }
        return Optional.empty();
    }
}
