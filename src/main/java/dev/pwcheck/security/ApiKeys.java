package dev.pwcheck.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configured callers and the SHA-256 of each one's key. A presented key is hashed and compared with every
 * configured hash in constant time ({@link MessageDigest#isEqual}), without stopping at a match, so the time taken
 * says neither how much of a hash matched nor which caller it was.
 */
public final class ApiKeys {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private record Caller(String name, byte[] keyHash) {
    }

    private final List<Caller> callers;

    private ApiKeys(List<Caller> callers) {
        this.callers = callers;
    }

    /**
     * @param entries {@code name:sha256hex} each
     * @throws IllegalArgumentException for a malformed entry or a repeated name; the message names the entry's
     *                                  position, never its hash
     */
    public static ApiKeys parse(List<String> entries) {
        List<Caller> callers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).trim();
            int colon = entry.indexOf(':');
            String name = colon < 0 ? "" : entry.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String hex = colon < 0 ? "" : entry.substring(colon + 1).trim();
            if (!NAME.matcher(name).matches() || !SHA256_HEX.matcher(hex).matches()) {
                throw new IllegalArgumentException("pwcheck.auth.api-key-hashes entry " + (i + 1)
                        + " is not name:sha256hex (a lowercase name, a colon, 64 hex digits)");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("pwcheck.auth.api-key-hashes names caller '" + name + "' twice");
            }
            callers.add(new Caller(name, HexFormat.of().parseHex(hex)));
        }
        return new ApiKeys(List.copyOf(callers));
    }

    public boolean isEmpty() {
        return callers.isEmpty();
    }

    public List<String> names() {
        return callers.stream().map(Caller::name).toList();
    }

    /** The caller whose key this is, if any. */
    public Optional<String> callerOf(String presentedKey) {
        byte[] presented = sha256(presentedKey);
        String match = null;
        for (Caller caller : callers) {
            // No early exit: every configured hash is compared, whatever matched.
            if (MessageDigest.isEqual(presented, caller.keyHash()) && match == null) {
                match = caller.name();
            }
        }
        return Optional.ofNullable(match);
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
