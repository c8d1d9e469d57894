package dev.pwcheck.mirror.store;

/** A mirror store or an input file that cannot be used; the message says why and never quotes hash data. */
public class StoreException extends RuntimeException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
