package dev.pwcheck.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.pwcheck.problem.Problem;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the service from being a password-testing oracle or a way to hammer the upstream: each request to a resource
 * marked {@link RateLimited} ({@code /v1/*}, {@code /range/*}) draws from its caller's token bucket (or, without a
 * caller, its client IP's), and past it gets {@code 429} with {@code Retry-After}. One
 * client's burst never spends another's budget. Behind a proxy, {@link ClientAddress} finds the real client.
 */
@ApplicationScoped
public class RateLimiter {

    private final RateLimitConfig config;
    private final ClientAddress clients;
    private final Ticker ticker;
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, TokenBucket> callers = new ConcurrentHashMap<>();
    private final Cache<String, TokenBucket> ips;

    RateLimiter(RateLimitConfig config, ClientAddress clients, Ticker ticker, MeterRegistry registry) {
        this.config = config;
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
    public Optional<Response> limit(ContainerRequestContext context, HttpServerRequest request) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        long now = ticker.read();
        Object caller = context.getProperty(CallerAuthentication.CALLER);
        long wait;
        String scope;
        if (caller != null) {
            scope = "caller";
            wait = callers.computeIfAbsent((String) caller, c -> new TokenBucket(config.perCallerRate(), config.perCallerBurst(), now)).take(now);
        } else {
            scope = "ip";
            wait = ips.get(clients.of(request), ip -> new TokenBucket(config.perIpRate(), config.perIpBurst(), now)).take(now);
        }
        if (wait == 0) {
            return Optional.empty();
        }
        registry.counter("pwcheck.rate.limited", "scope", scope, "caller", caller == null ? "none" : (String) caller).increment();
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait + 999_999_999L));
        return Optional.of(Response.fromResponse(Problem.of(Response.Status.TOO_MANY_REQUESTS,
                "too many requests; retry after " + seconds + " s").toResponse())
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds))
                .build());
    }
}
