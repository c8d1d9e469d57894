package dev.pwcheck.upstream;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.Config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the upstream is and how to reach it: {@code pwcheck.upstream.url}, {@code connect-timeout},
 * {@code read-timeout}, {@code trust-store}, {@code trust-store-password} and {@code trust-store-type}. Each is read
 * from {@link UpstreamConfig}, else from its old name under {@code quarkus.rest-client.hibp.*} (which deployments from
 * before keep setting; its timeouts are milliseconds), else its default. The one place these keys are read, by the
 * service and {@code mirror sync} alike.
 *
 * @param sources for each setting that was set, the key it came from, for the start-up line
 */
public record UpstreamTarget(URI base, Duration connectTimeout, Duration readTimeout, Optional<TrustStore> trust, List<String> sources) {

    public static final String DEFAULT_URL = "https://api.pwnedpasswords.com";
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMillis(300);
    static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMillis(800);
    /**
     * Past this a new key's timeout is surely a unit slip (the old keys were milliseconds, a bare number here is
     * seconds); the old names are taken as they always were.
     */
    static final Duration MOST_TIMEOUT = Duration.ofSeconds(60);
    static final String NEW = "pwcheck.upstream.";
    static final String OLD = "quarkus.rest-client.hibp.";

    /** A trust store as configured. */
    public record TrustStore(String path, String password, String type) {

        /** The path without a {@code classpath:} prefix: a file, or a resource when {@link #onClassPath()}. */
        public String file() {
            return onClassPath() ? path.substring("classpath:".length()) : path;
        }

        public boolean onClassPath() {
            return path.startsWith("classpath:");
        }

        /**
         * {@code JKS}, {@code PKCS12} or {@code PEM} (a file of CA certificates); without a type, the file's extension
         * decides, and PKCS12 is the fallback as for the JDK's own default store type.
         */
        public String kind() {
            if (type == null || type.isBlank()) {
                String lower = file().toLowerCase(Locale.ROOT);
                return lower.endsWith(".jks") ? "JKS" : lower.endsWith(".pem") || lower.endsWith(".crt") ? "PEM" : "PKCS12";
            }
            return switch (type.trim().toUpperCase(Locale.ROOT)) {
                case "JKS" -> "JKS";
                case "PKCS12", "P12", "PFX" -> "PKCS12";
                case "PEM" -> "PEM";
                default -> throw new IllegalArgumentException(NEW + "trust-store-type must be JKS, PKCS12 or PEM");
            };
        }

        @Override
        public String toString() {
            return "TrustStore[" + path + ", " + (type == null ? "type by extension" : type) + "]"; // never the password
        }
    }

    /** The target as {@code upstream} and, for the old names, {@code config} say. */
    public static UpstreamTarget of(UpstreamConfig upstream, Config config) {
        List<String> sources = new ArrayList<>();
        String url = text(upstream.url(), config, "url", sources).orElse(DEFAULT_URL);
        Duration connect = duration(upstream.connectTimeout(), config, "connect-timeout", sources).orElse(DEFAULT_CONNECT_TIMEOUT);
        Duration read = duration(upstream.readTimeout(), config, "read-timeout", sources).orElse(DEFAULT_READ_TIMEOUT);
        Optional<String> store = text(upstream.trustStore(), config, "trust-store", sources);
        Optional<String> password = text(upstream.trustStorePassword(), config, "trust-store-password", sources);
        Optional<String> type = text(upstream.trustStoreType(), config, "trust-store-type", sources);
        return new UpstreamTarget(parse(url), connect, read,
                store.map(path -> new TrustStore(path, password.orElse(null), type.orElse(null))), List.copyOf(sources));
    }

    /**
     * The target outside the service ({@code mirror sync}): the same keys from the environment
     * ({@code PWCHECK_UPSTREAM_URL}, {@code QUARKUS_REST_CLIENT_HIBP_URL}, ...) and system properties.
     */
    public static UpstreamTarget fromEnvironment() {
        SmallRyeConfig config = builder().addDefaultSources().build();
        return of(config.getConfigMapping(UpstreamConfig.class), config);
    }

    /** A config for {@link UpstreamConfig} outside the service, reading durations as the service does ({@code 300ms}). */
    static SmallRyeConfigBuilder builder() {
        return new SmallRyeConfigBuilder().withConverter(Duration.class, 200, new DurationConverter()).withMapping(UpstreamConfig.class);
    }

    /** The new key's value if set, else the old name's, noting which. */
    private static Optional<String> text(Optional<String> value, Config config, String key, List<String> sources) {
        if (value.isPresent()) {
            sources.add(NEW + key);
            return value;
        }
        Optional<String> old = config.getOptionalValue(OLD + key, String.class);
        old.ifPresent(o -> sources.add(OLD + key + " (the old name of " + NEW + key + ")"));
        return old;
    }

    /** As {@link #text}: the new key is a duration ({@code 300ms}); the old name was a number of milliseconds. */
    private static Optional<Duration> duration(Optional<Duration> value, Config config, String key, List<String> sources) {
        if (value.isPresent()) {
            sources.add(NEW + key);
            within(value.get(), key);
            return value;
        }
        Optional<Long> old = config.getOptionalValue(OLD + key, Long.class);
        old.ifPresent(o -> sources.add(OLD + key + " (the old name of " + NEW + key + ", in milliseconds)"));
        return old.map(Duration::ofMillis);
    }

    private static void within(Duration timeout, String key) {
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MOST_TIMEOUT) > 0) {
            throw new IllegalArgumentException(NEW + key + " must be above 0 and at most " + MOST_TIMEOUT.toSeconds()
                    + " s, such as 300ms (a bare number is seconds), not " + timeout.toMillis() + " ms");
        }
    }

    private static URI parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(NEW + "url is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException(NEW + "url must be an http:// or https:// URL with a host");
        }
        return uri;
    }

    /** The base URL without user information, a query or a trailing slash: what logs and messages show. */
    public String shown() {
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        return base.getScheme() + "://" + base.getHost() + (base.getPort() > 0 ? ":" + base.getPort() : "")
                + (path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    }

    /** The start-up line: where requests go, and which keys said so. */
    public String describe() {
        return "Upstream " + shown() + (sources.isEmpty() ? " (defaults; set pwcheck.upstream.url to change it)"
                : " (from " + String.join(", ", sources) + ")");
    }
}
