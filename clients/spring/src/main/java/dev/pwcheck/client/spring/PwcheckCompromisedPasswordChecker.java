package dev.pwcheck.client.spring;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.authentication.password.CompromisedPasswordChecker;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

import java.time.Duration;
import java.util.Map;

/**
 * Spring Security's {@link CompromisedPasswordChecker} backed by a pwcheck service: {@code DaoAuthenticationProvider}
 * calls it at sign-in, and a registration or password-change form can call it too. The password goes to the service
 * (over TLS in production), which looks it up by k-anonymity and answers with the verdict, the count and the flow's
 * action: compromised when that action stops the caller.
 *
 * <p>Like Spring's own checker, a {@code null} password is not compromised, and a service that cannot be reached,
 * times out, answers 4xx or 5xx, or answers what cannot be read is not compromised either (sign-in goes on through an
 * outage), unless {@link #setUnreachableIsCompromised(boolean)} says otherwise. A refused API key is logged at ERROR.
 */
public final class PwcheckCompromisedPasswordChecker implements CompromisedPasswordChecker {

    private static final ParameterizedTypeReference<Map<String, Object>> ANSWER = new ParameterizedTypeReference<>() {
    };

    private final CheckerSettings settings;
    private volatile RestClient restClient;

    /** A checker with its own HTTP client on {@code baseUrl} (e.g. {@code https://pwcheck.internal:8080}): 1 s to connect, 2 s to answer. */
    public PwcheckCompromisedPasswordChecker(String baseUrl) {
        this.settings = CheckerSettings.forUrl(baseUrl, "RestClient");
        this.restClient = build();
    }

    /**
     * A checker on a {@link RestClient} of the application's, whose base URL is the service's. Its timeouts, TLS and
     * interceptors are its own, so the timeout setters do not apply.
     */
    public PwcheckCompromisedPasswordChecker(RestClient restClient) {
        Assert.notNull(restClient, "restClient must not be null");
        this.settings = new CheckerSettings(null, "RestClient");
        this.restClient = restClient;
    }

    private RestClient build() {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(settings.httpClient());
        requests.setReadTimeout(settings.readTimeout);
        return RestClient.builder().baseUrl(settings.baseUrl).requestFactory(requests).build();
    }

    /** Checks {@code password} in this checker's flow ({@link #setFlow}, {@code login} by default). */
    @Override
    public PwcheckPasswordDecision check(String password) {
        return check(password, settings.flow);
    }

    /**
     * Checks {@code password} in {@code flow} ({@code login}, {@code registration}, {@code reset}, {@code api-key}, or
     * null for the corpus answer alone), whatever this checker's own flow: one bean serves sign-in and the forms.
     */
    public PwcheckPasswordDecision check(String password, String flow) {
        CheckExchange.validFlow(flow);
        if (password == null) {
            return CheckExchange.nullPassword();
        }
        try {
            RestClient.RequestBodySpec request = restClient.post().uri(CheckExchange.PATH)
                    .contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON);
            if (settings.apiKey != null) {
                request = request.header("Authorization", "Bearer " + settings.apiKey);
            }
            ResponseEntity<Map<String, Object>> response = request.body(CheckExchange.body(password, flow)).retrieve().toEntity(ANSWER);
            PwcheckPasswordDecision decision = CheckExchange.decision(response.getBody(), response.getHeaders().getFirst(CheckExchange.SOURCE_HEADER));
            if (decision != null) {
                return decision;
            }
            CheckExchange.logFailure(0, null);
        } catch (RestClientResponseException e) {
            CheckExchange.logFailure(e.getStatusCode().value(), e);
        } catch (RestClientException e) {
            CheckExchange.logFailure(0, e.getMostSpecificCause());
        }
        return CheckExchange.unanswered(flow, settings.unreachableIsCompromised);
    }

    /**
     * The call site: {@code login} (the default: what {@code DaoAuthenticationProvider} checks), {@code registration},
     * {@code reset}, {@code api-key}, or null for the corpus answer alone (compromised when breached).
     */
    public void setFlow(String flow) {
        settings.flow(flow);
    }

    /** This application's key for the service ({@code Authorization: Bearer}), or null when the service has none configured. */
    public void setApiKey(String apiKey) {
        settings.apiKey = apiKey;
    }

    /** True to treat a service that gives no answer as compromised (fail closed); false by default, as Spring's own checker. */
    public void setUnreachableIsCompromised(boolean unreachableIsCompromised) {
        settings.unreachableIsCompromised = unreachableIsCompromised;
    }

    /** Time to connect (1 s by default). Only for a checker made from a base URL. */
    public void setConnectTimeout(Duration connectTimeout) {
        settings.connectTimeout(connectTimeout);
        this.restClient = build();
    }

    /** Time for the answer once connected (2 s by default, the service's own deadline). Only for a checker made from a base URL. */
    public void setReadTimeout(Duration readTimeout) {
        settings.readTimeout(readTimeout);
        this.restClient = build();
    }
}
