package dev.pwcheck.format;

/**
 * A range answer that is not what the format allows: not lines of {@code SUFFIX:COUNT} in order, or larger than the
 * caps it was read with. Its message names the fault only, never a line of the answer, and it captures no stack trace:
 * the answer came from outside, and the kind is all a caller can act on.
 */
public final class RangeFormatException extends RuntimeException {

    /** What was wrong with the answer. */
    public enum Kind {
        /** Not lines of {@code SUFFIX:COUNT}, sorted, each suffix once. */
        MALFORMED,
        /** Over the byte or line cap. */
        TOO_LARGE
    }

    private final Kind kind;

    public RangeFormatException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
