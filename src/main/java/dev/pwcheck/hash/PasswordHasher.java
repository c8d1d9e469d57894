package dev.pwcheck.hash;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * SHA-1 of the UTF-8 bytes of a password exactly as given: no trimming, no Unicode normalisation, because the
 * Pwned Passwords corpus was hashed that way and any change would turn breached passwords into clean ones.
 */
public final class PasswordHasher {

    /** Longest password accepted, in UTF-8 bytes (API contract). */
    public static final int MAX_PASSWORD_BYTES = 1024;

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
        ByteBuffer utf8 = encode(password);
        try {
            if (utf8.remaining() > MAX_PASSWORD_BYTES) {
                throw new InvalidPasswordException("password must be at most " + MAX_PASSWORD_BYTES + " UTF-8 bytes");
            }
            MessageDigest sha1 = sha1();
            sha1.update(utf8);
            return Sha1Hash.ofHex(Hex.upper(sha1.digest()));
        } finally {
            // The String itself cannot be wiped, but the copy we made need not outlive this call.
            Arrays.fill(utf8.array(), (byte) 0);
        }
    }

    private static ByteBuffer encode(String password) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer out = ByteBuffer.allocate(password.length() * 3);
        CharBuffer in = CharBuffer.wrap(password);
        if (encoder.encode(in, out, true).isError() || encoder.flush(out).isError()) {
            Arrays.fill(out.array(), (byte) 0);
            // Replacing a lone surrogate with '?' (what String.getBytes does) would hash a different password.
            throw new InvalidPasswordException("password is not valid Unicode text");
        }
        out.flip();
        return out;
    }

    static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
    }

    /** The password is unusable; the message describes the rule broken, never the password. */
    public static final class InvalidPasswordException extends IllegalArgumentException {
        InvalidPasswordException(String message) {
            super(message);
        }
    }
}
