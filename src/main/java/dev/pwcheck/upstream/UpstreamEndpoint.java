package dev.pwcheck.upstream;

import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The service's view of {@link UpstreamTarget}: the host, port and path requests go to, the timeouts, and the trust
 * store as Vert.x reads it. Says at start-up where requests go and which keys said so.
 */
@Startup
@ApplicationScoped
public class UpstreamEndpoint {

    private static final Logger LOG = Logger.getLogger(UpstreamEndpoint.class);

    private final URI base;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Optional<TrustOptions> trust;

    UpstreamEndpoint(UpstreamConfig config, Config all) {
        UpstreamTarget target = UpstreamTarget.of(config, all);
        this.base = target.base();
        this.connectTimeout = target.connectTimeout();
        this.readTimeout = target.readTimeout();
        this.trust = target.trust().map(store -> trustOptions(store.path(), store.password(), store.type()));
        LOG.info(target.describe());
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
            default -> throw new IllegalArgumentException("pwcheck.upstream.trust-store-type must be JKS, PKCS12 or PEM");
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
