package dev.pwcheck.upstream;

import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the upstream is and how to reach it, from the {@code quarkus.rest-client.hibp.*} keys operators already set
 * (the base URL, connect and read timeouts, and a trust store for an upstream behind a private CA), so those keys
 * keep their meaning whichever HTTP client carries the requests.
 */
@ApplicationScoped
public class UpstreamEndpoint {

    private final URI base;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Optional<TrustOptions> trust;

    UpstreamEndpoint(@ConfigProperty(name = "quarkus.rest-client.hibp.url") String url,
            @ConfigProperty(name = "quarkus.rest-client.hibp.connect-timeout", defaultValue = "300") long connectTimeoutMillis,
            @ConfigProperty(name = "quarkus.rest-client.hibp.read-timeout", defaultValue = "800") long readTimeoutMillis,
            @ConfigProperty(name = "quarkus.rest-client.hibp.trust-store") Optional<String> trustStore,
            @ConfigProperty(name = "quarkus.rest-client.hibp.trust-store-password") Optional<String> trustStorePassword,
            @ConfigProperty(name = "quarkus.rest-client.hibp.trust-store-type") Optional<String> trustStoreType) {
        this.base = parse(url);
        this.connectTimeout = Duration.ofMillis(connectTimeoutMillis);
        this.readTimeout = Duration.ofMillis(readTimeoutMillis);
        this.trust = trustStore.map(path -> trustOptions(path, trustStorePassword.orElse(null), trustStoreType.orElse(null)));
    }

    private static URI parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("quarkus.rest-client.hibp.url is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("quarkus.rest-client.hibp.url must be an http:// or https:// URL with a host");
        }
        return uri;
    }

    /**
     * JKS, PKCS12 or PEM (a file of CA certificates); without a type, the file's extension decides, and PKCS12 is the
     * fallback as for the JDK's own default store type. A {@code classpath:} prefix is looked up on the class path.
     */
    static TrustOptions trustOptions(String path, String password, String type) {
        String file = path.startsWith("classpath:") ? path.substring("classpath:".length()) : path;
        String kind = type != null && !type.isBlank() ? type.trim().toUpperCase(Locale.ROOT) : byExtension(file);
        return switch (kind) {
            case "JKS" -> new JksOptions().setPath(file).setPassword(password);
            case "PKCS12", "P12", "PFX" -> new PfxOptions().setPath(file).setPassword(password);
            case "PEM" -> new PemTrustOptions().addCertPath(file);
            default -> throw new IllegalArgumentException("quarkus.rest-client.hibp.trust-store-type must be JKS, PKCS12 or PEM");
        };
    }

    private static String byExtension(String file) {
        String lower = file.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".jks")) {
            return "JKS";
        }
        if (lower.endsWith(".pem") || lower.endsWith(".crt")) {
            return "PEM";
        }
        return "PKCS12";
    }

    boolean https() {
        return base.getScheme().equalsIgnoreCase("https");
    }

    String host() {
        return base.getHost();
    }

    int port() {
        return base.getPort() > 0 ? base.getPort() : https() ? 443 : 80;
    }

    /** The base URL's path without a trailing slash ("" for a bare host): ranges are at {@code {path}/range/PREFIX}. */
    String path() {
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    Duration readTimeout() {
        return readTimeout;
    }

    Optional<TrustOptions> trust() {
        return trust;
    }
}
