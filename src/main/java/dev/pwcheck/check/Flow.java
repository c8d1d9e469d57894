package dev.pwcheck.check;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The registry call site a check comes from; each has its own threshold and its own answer to unknown. */
public enum Flow {
    LOGIN(Action.ALLOW, Action.REQUIRE_RESET),
    REGISTRATION(Action.ACCEPT, Action.REJECT),
    RESET(Action.ACCEPT, Action.REJECT),
    /**
     * A password presented to mint an API key or token outside the browser ({@code gem signin}, a CLI login): the
     * path by which a password reused from another breach becomes a key that can publish packages.
     */
    API_KEY(Action.ACCEPT, Action.REJECT);

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
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Whether a breached password of a user with a second factor may answer {@code reset-after-mfa}: where the user
     * proves who they are with the password itself (login, an API key), so that the second factor can still be asked.
     */
    boolean mayResetAfterMfa() {
        return this == LOGIN || this == API_KEY;
    }

    /** The wire names, for messages that list the valid values: "login, registration, reset or api-key". */
    public static String wireNames() {
        String[] names = Arrays.stream(values()).map(Flow::wire).toArray(String[]::new);
        return Arrays.stream(names, 0, names.length - 1).collect(Collectors.joining(", ")) + " or " + names[names.length - 1];
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
