package dev.pwcheck.lookup;

/**
 * No source can give a whole range: its message says why in words a caller can act on (the upstream cannot be reached,
 * the mirror's store cannot serve ranges, ...), never a prefix or a hash.
 */
public final class RangeUnavailableException extends RuntimeException {

    RangeUnavailableException(String message) {
        super(message, null, false, false);
    }
}
