package dev.pwcheck.proxy;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;

/**
 * Browser access from other origins, for a registration form that asks {@code /range/{prefix}} itself. The
 * value feeds {@code quarkus.http.cors.origins} (see application.properties); declared here so the key is
 * documented and validated like every other {@code pwcheck.*} key.
 */
@ConfigMapping(prefix = "pwcheck.cors")
public interface CorsConfig {

    /** Origins allowed, e.g. {@code https://rubygems.org}; none by default (no cross-origin browser access). */
    Optional<List<String>> origins();

    /** Says at start-up which origins a browser may call from, since a wrong value fails silently in the browser. */
    @ApplicationScoped
    class StartupReport {
        void report(@Observes StartupEvent event, CorsConfig cors) {
            Logger.getLogger(CorsConfig.class).infof("Cross-origin browser access allowed from: %s",
                    cors.origins().map(String::valueOf).orElse("no origin (pwcheck.cors.origins is unset)"));
        }
    }
}
