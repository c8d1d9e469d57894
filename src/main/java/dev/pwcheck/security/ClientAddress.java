package dev.pwcheck.security;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The client a request's per-IP rate-limit bucket belongs to.
 *
 * <p>Proxies append to {@code X-Forwarded-For} / {@code Forwarded}, so everything to the left of what our own trusted
 * proxies wrote is whatever the client chose to send. The client is therefore the <em>rightmost</em> hop that is not a
 * trusted proxy, walking back from the socket's peer; the leftmost hop (which Quarkus's own forwarding reports)
 * would let a client pick a fresh bucket for every request. With no trusted proxies configured, or a peer that is not
 * one of them, the headers are ignored and the peer is the client.
 *
 * <p>Reads the {@code quarkus.http.proxy.*} keys, so one setting governs both this and Quarkus's own forwarding.
 */
@ApplicationScoped
public class ClientAddress {

    private static final Logger LOG = Logger.getLogger(ClientAddress.class);

    private final boolean forwarding;
    private final boolean readForwarded;
    private final boolean readXForwarded;
    private final TrustedProxies trusted;

    ClientAddress(@ConfigProperty(name = "quarkus.http.proxy.proxy-address-forwarding", defaultValue = "false") boolean forwarding,
            @ConfigProperty(name = "quarkus.http.proxy.allow-forwarded", defaultValue = "false") boolean allowForwarded,
            @ConfigProperty(name = "quarkus.http.proxy.allow-x-forwarded") Optional<Boolean> allowXForwarded,
            @ConfigProperty(name = "quarkus.http.proxy.trusted-proxies") Optional<List<String>> trustedProxies) {
        this.forwarding = forwarding;
        this.readForwarded = allowForwarded;
        // Quarkus's own rule: X-Forwarded-For is read unless only Forwarded was asked for.
        this.readXForwarded = allowXForwarded.orElse(!allowForwarded);
        List<String> unusable = new ArrayList<>();
        this.trusted = TrustedProxies.of(trustedProxies.orElse(List.of()), unusable);
        if (!unusable.isEmpty()) {
            LOG.warnf("quarkus.http.proxy.trusted-proxies: %s not an address or CIDR range; not trusted for per-IP rate limits",
                    String.join(", ", unusable));
        }
        if (forwarding && trusted.isEmpty()) {
            LOG.warn("quarkus.http.proxy.proxy-address-forwarding is on but no trusted-proxies are set: per-IP rate limits use the"
                    + " socket address, not forwarding headers");
        }
    }

    /** @return the bucket key for this request's client: an IPv4 address, or an IPv6 /64 network */
    public String of(HttpServerRequest request) {
        // The connection's own peer: request.remoteAddress() is already rewritten by Quarkus's forwarding (leftmost hop).
        SocketAddress socket = request.connection() == null ? request.remoteAddress() : request.connection().remoteAddress();
        InetAddress peer = socket == null ? null : IpLiteral.parse(socket.hostAddress());
        if (peer == null) {
            return "unknown";
        }
        if (!forwarding || trusted.isEmpty() || !trusted.trusts(peer)) {
            return key(peer);
        }
        List<String> hops = new ArrayList<>();
        if (readForwarded) {
            request.headers().getAll("Forwarded").forEach(value -> forwardedFor(value, hops));
        }
        if (hops.isEmpty() && readXForwarded) {
            request.headers().getAll("X-Forwarded-For").forEach(value -> hops.addAll(List.of(value.split(","))));
        }
        return key(clientOf(peer, hops, trusted));
    }

    /**
     * Walks the hops from the right: each trusted address is a proxy of ours, and the first one that is not is the
     * client. A hop that is not an address (garbage, {@code unknown}, an obfuscated name) ends the walk at the last
     * proxy seen, so a malformed header can only put a client in its proxy's bucket, never in one of its choosing.
     */
    static InetAddress clientOf(InetAddress peer, List<String> hops, TrustedProxies trusted) {
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0 && trusted.trusts(client); i--) {
            InetAddress hop = IpLiteral.parseHop(hops.get(i));
            if (hop == null) {
                break;
            }
            client = hop;
        }
        return client;
    }

    /** Collects the {@code for=} values of one {@code Forwarded} header (RFC 7239), in order. */
    static void forwardedFor(String header, List<String> hops) {
        for (String element : header.split(",")) {
            String found = "";
            for (String pair : element.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("for")) {
                    found = pair.substring(eq + 1);
                }
            }
            hops.add(found); // an element without for= is a hop we cannot place: it ends the walk
        }
    }

    /**
     * IPv6 clients are keyed on their /64: one subscriber usually holds a whole /64 and could otherwise take a new
     * bucket with every address in it.
     */
    static String key(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return address.getHostAddress();
        }
        StringBuilder network = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            network.append(Integer.toHexString(((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF))).append(':');
        }
        return network.append(":/64").toString();
    }
}
