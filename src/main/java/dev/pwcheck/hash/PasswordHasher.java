package dev.pwcheck.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * SHA-1 of the UTF-8 bytes of a password exactly as given: no trimming, no Unicode normalisation, because the
 * Pwned Passwords corpus was hashed that way and any change would turn breached passwords into clean ones.
 * This is the hot path of every check, so the encoding is done by hand into one exact-sized buffer (which is
 * wiped after hashing) and the digest object is reused per thread.
 */
public final class PasswordHasher {

    /** Longest password accepted, in UTF-8 bytes (API contract). */
    public static final int MAX_PASSWORD_BYTES = 1024;

    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(PasswordHasher::newSha1);

    private PasswordHasher() {
    }

    /**
     * @throws InvalidPasswordException when the password is empty, longer than {@link #MAX_PASSWORD_BYTES} or not
     *         encodable as UTF-8 (a lone surrogate)
     */
    public static Sha1Hash hash(String password) {
        if (password.isEmpty()) {
            throw new InvalidPasswordException("password must not be empty");
        }
        int length = utf8Length(password);
        if (length > MAX_PASSWORD_BYTES) {
            throw new InvalidPasswordException("password must be at most " + MAX_PASSWORD_BYTES + " UTF-8 bytes");
        }
        byte[] utf8 = new byte[length];
        try {
            encode(password, utf8);
            MessageDigest sha1 = SHA1.get();
            sha1.reset();
            return Sha1Hash.ofDigest(sha1.digest(utf8));
        } finally {
            // The String itself cannot be wiped, but the copy we made need not outlive this call.
            Arrays.fill(utf8, (byte) 0);
        }
    }

    /** UTF-8 length, refusing lone surrogates: replacing one with '?' (as String.getBytes does) hashes another password. */
    private static int utf8Length(String s) {
        int length = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidPasswordException("password is not valid Unicode text");
            } else {
                length += 3;
            }
        }
        return length;
    }

    /** Writes the UTF-8 bytes of {@code s}, already validated by {@link #utf8Length(String)}. */
    private static void encode(String s, byte[] out) {
        int at = 0;
        for (int i = 0; i < s.length(); i++) {
            int c = s.charAt(i);
            if (c < 0x80) {
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | c >> 6);
                out[at++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate((char) c)) {
                int cp = Character.toCodePoint((char) c, s.charAt(++i));
                out[at++] = (byte) (0xF0 | cp >> 18);
                out[at++] = (byte) (0x80 | cp >> 12 & 0x3F);
                out[at++] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | cp & 0x3F);
            } else {
                out[at++] = (byte) (0xE0 | c >> 12);
                out[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | c & 0x3F);
            }
        }
    }

    private static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
    }

    /** The password is unusable; the message describes the rule broken, never the password. */
    public static final class InvalidPasswordException extends IllegalArgumentException {
        InvalidPasswordException(String message) {
            super(message, null);
        }
    }
}
