package dev.pwcheck.client.spring;

import org.springframework.util.Assert;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * What both checkers are set up with: the flow, the API key, what an unanswered check means, and, for a checker that
 * makes its own client from a base URL, the timeouts. Set at configuration, read by every check.
 */
final class CheckerSettings {

    /** The service's URL, or null for a checker on a client of the application's. */
    final String baseUrl;
    private final String clientKind;
    volatile Duration connectTimeout = Duration.ofSeconds(1);
    volatile Duration readTimeout = Duration.ofSeconds(2);
    volatile String flow = "login";
    volatile String apiKey;
    volatile boolean unreachableIsCompromised;

    /** @param clientKind the client a checker on the application's own is given ("RestClient"), for the refusal of a timeout */
    CheckerSettings(String baseUrl, String clientKind) {
        this.baseUrl = baseUrl;
        this.clientKind = clientKind;
    }

    static CheckerSettings forUrl(String baseUrl, String clientKind) {
        Assert.hasText(baseUrl, "baseUrl must be the pwcheck service's URL");
        return new CheckerSettings(baseUrl, clientKind);
    }

    void flow(String flow) {
        this.flow = CheckExchange.validFlow(flow);
    }

    void connectTimeout(Duration timeout) {
        this.connectTimeout = ownTimeout(timeout);
    }

    void readTimeout(Duration timeout) {
        this.readTimeout = ownTimeout(timeout);
    }

    /** The JDK client a checker made from a base URL sends with: it connects within the connect timeout. */
    HttpClient httpClient() {
        return HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    private Duration ownTimeout(Duration timeout) {
        Assert.state(baseUrl != null, "this checker uses the " + clientKind + " it was given: set timeouts on that client");
        Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(), "a timeout must be positive");
        return timeout;
    }
}
