package dev.pwcheck.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.pwcheck.problem.Problem;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the service from being a password-testing oracle or a way to hammer the upstream: each request to a resource
 * marked {@link RateLimited} ({@code /v1/*}, {@code /range/*}) draws from its caller's token bucket (or, without a
 * caller, its client IP's), and past it gets {@code 429} with {@code Retry-After}. One
 * client's burst never spends another's budget. Behind a proxy, {@link ClientAddress} finds the real client. With
 * {@code pwcheck.rate-limit.shared=redis} the {@link SharedBuckets} decide, so that the replicas share one budget, and
 * the local buckets here decide only while those cannot.
 */
@ApplicationScoped
public class RateLimiter {

    private final RateLimitConfig config;
    private final ClientAddress clients;
    private final Ticker ticker;
    private final MeterRegistry registry;
    private final SharedBuckets shared;
    private final ConcurrentHashMap<String, TokenBucket> callers = new ConcurrentHashMap<>();
    private final Cache<String, TokenBucket> ips;

    RateLimiter(RateLimitConfig config, ClientAddress clients, Ticker ticker, MeterRegistry registry, SharedBuckets shared) {
        this.config = config;
        this.shared = shared;
        this.clients = clients;
        this.ticker = ticker;
        this.registry = registry;
        // Idle long enough to have refilled completely: forgetting it then changes nothing.
        long refillNanos = TimeUnit.SECONDS.toNanos((long) Math.ceil((double) config.perIpBurst() / config.perIpRate())) + 1;
        this.ips = Caffeine.newBuilder()
                .ticker(ticker)
                .maximumSize(config.maxTrackedIps())
                .expireAfterAccess(Duration.ofNanos(refillNanos))
                .executor(Runnable::run)
                .build();
    }

    // After authentication, so that a caller is known.
    @RateLimited
    @ServerRequestFilter(priority = CallerAuthentication.PRIORITY + 10)
    public Uni<Response> limit(ContainerRequestContext context, HttpServerRequest request) {
        if (!config.enabled()) {
            return Uni.createFrom().nullItem();
        }
        Object caller = context.getProperty(CallerAuthentication.CALLER);
        String scope = caller != null ? "caller" : "ip";
        String id = caller != null ? (String) caller : clients.of(request);
        if (!shared.enabled()) {
            return Uni.createFrom().item(answer(scope, caller, local(scope, id)));
        }
        Uni<Long> decision = shared.take(scope, id);
        // Redis answers on its own connection's event loop, a timeout on Mutiny's timer: the request goes on where it was.
        io.vertx.core.Context vertx = io.vertx.core.Vertx.currentContext();
        if (vertx != null) {
            decision = decision.emitOn(task -> vertx.runOnContext(ignored -> task.run()));
        }
        return decision.map(wait -> answer(scope, caller, wait != null ? wait : local(scope, id)));
    }

    /** @return 0 when the replica's own bucket of {@code id} had a token, else the nanoseconds until it will */
    private long local(String scope, String id) {
        long now = ticker.read();
        if (scope.equals("caller")) {
            return callers.computeIfAbsent(id, c -> new TokenBucket(config.perCallerRate(), config.perCallerBurst(), now)).take(now);
        }
        return ips.get(id, ip -> new TokenBucket(config.perIpRate(), config.perIpBurst(), now)).take(now);
    }

    /** Null to let the request through, else the {@code 429} problem with its {@code Retry-After}. */
    private Response answer(String scope, Object caller, long wait) {
        if (wait == 0) {
            return null;
        }
        registry.counter("pwcheck.rate.limited", "scope", scope, "caller", caller == null ? "none" : (String) caller).increment();
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait + 999_999_999L));
        return Response.fromResponse(Problem.of(Response.Status.TOO_MANY_REQUESTS,
                "too many requests; retry after " + seconds + " s").toResponse())
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds))
                .build();
    }
}
