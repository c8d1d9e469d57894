package dev.pwcheck.client.spring;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/** One packaged service for the whole run, and one that requires a caller key, each started on first use. */
final class Services {

    static final String API_KEY = "spring-adapter-test-key-0123456789";

    private static PackagedService open;
    private static PackagedService keyed;

    private Services() {
    }

    static synchronized PackagedService open() throws Exception {
        if (open == null) {
            open = started(Map.of());
        }
        return open;
    }

    static synchronized PackagedService keyed() throws Exception {
        if (keyed == null) {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(API_KEY.getBytes(StandardCharsets.UTF_8)));
            keyed = started(Map.of("PWCHECK_AUTH_API_KEY_HASHES", "spring:" + hash));
        }
        return keyed;
    }

    private static PackagedService started(Map<String, String> env) throws Exception {
        PackagedService service = PackagedService.start(env);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close));
        return service;
    }
}
