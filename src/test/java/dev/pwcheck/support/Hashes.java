package dev.pwcheck.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/** An oracle independent of the service's own hasher: plain JDK SHA-1 of UTF-8 bytes. */
public final class Hashes {

    private Hashes() {
    }

    public static String sha1(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(password.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).toUpperCase(Locale.ROOT);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String prefix(String sha1) {
        return sha1.substring(0, 5);
    }

    public static String suffix(String sha1) {
        return sha1.substring(5);
    }

    /** A range answer as HIBP sends it: the given lines joined by CRLF, no trailing newline. */
    public static String rangeBody(String... lines) {
        return String.join("\r\n", lines);
    }

    /** One {@code SUFFIX:COUNT} line. */
    public static String line(String suffix, long count) {
        return suffix + ":" + count;
    }
}
