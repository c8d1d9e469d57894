package dev.pwcheck.client.spring;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.security.authentication.password.CompromisedPasswordDecision;
import org.springframework.security.authentication.password.ReactiveCompromisedPasswordChecker;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Map;

/**
 * Spring Security's {@link ReactiveCompromisedPasswordChecker} backed by a pwcheck service, for WebFlux applications;
 * decides exactly as {@link PwcheckCompromisedPasswordChecker}, without blocking.
 */
public final class PwcheckReactiveCompromisedPasswordChecker implements ReactiveCompromisedPasswordChecker {

    private static final ParameterizedTypeReference<Map<String, Object>> ANSWER = new ParameterizedTypeReference<>() {
    };

    private final CheckerSettings settings;
    private volatile WebClient webClient;

    /** A checker with its own HTTP client on {@code baseUrl}: 1 s to connect, 2 s to answer. */
    public PwcheckReactiveCompromisedPasswordChecker(String baseUrl) {
        this.settings = CheckerSettings.forUrl(baseUrl, "WebClient");
        this.webClient = build();
    }

    /** A checker on a {@link WebClient} of the application's, whose base URL is the service's and whose timeouts are its own. */
    public PwcheckReactiveCompromisedPasswordChecker(WebClient webClient) {
        Assert.notNull(webClient, "webClient must not be null");
        this.settings = new CheckerSettings(null, "WebClient");
        this.webClient = webClient;
    }

    private WebClient build() {
        JdkClientHttpConnector connector = new JdkClientHttpConnector(settings.httpClient());
        connector.setReadTimeout(settings.readTimeout);
        return WebClient.builder().baseUrl(settings.baseUrl).clientConnector(connector).build();
    }

    /** Checks {@code password} in this checker's flow ({@link #setFlow}, {@code login} by default). */
    @Override
    public Mono<CompromisedPasswordDecision> check(String password) {
        return check(password, settings.flow);
    }

    /** As {@link PwcheckCompromisedPasswordChecker#check(String, String)}: {@code password} in {@code flow}, whatever this checker's own. */
    public Mono<CompromisedPasswordDecision> check(String password, String flow) {
        CheckExchange.validFlow(flow);
        if (password == null) {
            return Mono.just(CheckExchange.nullPassword());
        }
        boolean failClosed = settings.unreachableIsCompromised;
        WebClient.RequestBodySpec request = webClient.post().uri(CheckExchange.PATH)
                .contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON);
        if (settings.apiKey != null) {
            request = request.header("Authorization", "Bearer " + settings.apiKey);
        }
        Mono<CompromisedPasswordDecision> answered = request.bodyValue(CheckExchange.body(password, flow)).retrieve().toEntity(ANSWER)
                .mapNotNull(response -> {
                    PwcheckPasswordDecision decision = CheckExchange.decision(response.getBody(),
                            response.getHeaders().getFirst(CheckExchange.SOURCE_HEADER));
                    if (decision == null) {
                        CheckExchange.logFailure(0, null);
                        return CheckExchange.unanswered(flow, failClosed);
                    }
                    return decision;
                });
        if (settings.baseUrl != null) {
            // The connector's read timeout starts once connected; this bounds the whole exchange as well.
            answered = answered.timeout(settings.connectTimeout.plus(settings.readTimeout));
        }
        return answered.onErrorResume(e -> {
            CheckExchange.logFailure(e instanceof WebClientResponseException response ? response.getStatusCode().value() : 0, e);
            return Mono.just(CheckExchange.unanswered(flow, failClosed));
        });
    }

    /** As {@link PwcheckCompromisedPasswordChecker#setFlow(String)}. */
    public void setFlow(String flow) {
        settings.flow(flow);
    }

    /** This application's key for the service, or null when the service has none configured. */
    public void setApiKey(String apiKey) {
        settings.apiKey = apiKey;
    }

    /** True to treat a service that gives no answer as compromised (fail closed); false by default. */
    public void setUnreachableIsCompromised(boolean unreachableIsCompromised) {
        settings.unreachableIsCompromised = unreachableIsCompromised;
    }

    /** Time to connect (1 s by default). Only for a checker made from a base URL. */
    public void setConnectTimeout(Duration connectTimeout) {
        settings.connectTimeout(connectTimeout);
        this.webClient = build();
    }

    /** Time for the answer once connected (2 s by default). Only for a checker made from a base URL. */
    public void setReadTimeout(Duration readTimeout) {
        settings.readTimeout(readTimeout);
        this.webClient = build();
    }
}
