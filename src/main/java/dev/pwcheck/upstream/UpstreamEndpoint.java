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
        this.trust = target.trust().map(UpstreamEndpoint::trustOptions);
        LOG.info(target.describe());
    }

    /** The trust store as Vert.x reads it; a {@code classpath:} one is looked up on the class path. */
    static TrustOptions trustOptions(UpstreamTarget.TrustStore store) {
        String file = store.file();
        return switch (store.kind()) {
            case "JKS" -> new JksOptions().setPath(file).setPassword(store.password());
            case "PEM" -> new PemTrustOptions().addCertPath(file);
            default -> new PfxOptions().setPath(file).setPassword(store.password());
        };
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
