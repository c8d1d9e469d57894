package dev.pwcheck.security;

import dev.pwcheck.problem.Problem;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Optional;

/**
 * {@code Authorization: Bearer <key>} on the resources marked {@link CallerKeyRequired} ({@code /v1/*}): no key is
 * 401, a key that is not configured is 403, both as problems. Runs before the resource method, so an
 * unauthenticated caller never gets a password hashed. The caller's name goes on the request for the rate limiter
 * and the metrics; the key itself goes nowhere.
 */
@ApplicationScoped
public class CallerAuthentication {

    /** Request property holding the authenticated caller's name. */
    public static final String CALLER = "pwcheck.caller";
    static final int PRIORITY = jakarta.ws.rs.Priorities.AUTHENTICATION;

    private static final Logger LOG = Logger.getLogger(CallerAuthentication.class);
    private static final String BEARER = "bearer ";

    private final ApiKeys keys;
    private final boolean enforced;
    private final MeterRegistry registry;

    CallerAuthentication(AuthConfig config, MeterRegistry registry) {
        this.keys = ApiKeys.parse(config.apiKeyHashes().orElse(List.of()));
        this.enforced = config.enabled() && !keys.isEmpty();
        this.registry = registry;
    }

    void report(@Observes StartupEvent event) {
        if (enforced) {
            LOG.infof("Caller authentication on /v1/*: callers %s", keys.names());
        } else if (keys.isEmpty()) {
            LOG.warn("Caller authentication is OFF: pwcheck.auth.api-key-hashes is not set, so /v1/* answers anyone who can"
                    + " reach it. Configure caller keys (see docs/operations.md, 'Caller authentication') for any deployment reachable beyond the registry.");
        } else {
            LOG.warn("Caller authentication is OFF (pwcheck.auth.enabled=false)");
        }
    }

    @CallerKeyRequired
    @ServerRequestFilter(priority = PRIORITY)
    public Optional<Response> authenticate(ContainerRequestContext context, HttpServerRequest request) {
        if (!enforced) {
            return Optional.empty();
        }
        Optional<String> presented = bearerKey(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (presented.isEmpty()) {
            count("none", "missing");
            return Optional.of(Response.fromResponse(Problem.of(Response.Status.UNAUTHORIZED,
                    "send the caller's API key as Authorization: Bearer <key>").toResponse())
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"pwcheck\"")
                    .build());
        }
        Optional<String> caller = keys.callerOf(presented.get());
        if (caller.isEmpty()) {
            count("none", "refused");
            return Optional.of(Problem.of(Response.Status.FORBIDDEN, "the API key is not valid").toResponse());
        }
        count(caller.get(), "accepted");
        context.setProperty(CALLER, caller.get());
        return Optional.empty();
    }

    /** The key of an {@code Authorization: Bearer <key>} header (the scheme in any case), trimmed; empty otherwise. */
    static Optional<String> bearerKey(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(BEARER.length()).trim());
    }

    private void count(String caller, String outcome) {
        registry.counter("pwcheck.auth.requests", "caller", caller, "outcome", outcome).increment();
    }
}
