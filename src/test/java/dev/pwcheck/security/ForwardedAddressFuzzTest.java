package dev.pwcheck.security;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * What a client or a proxy puts in forwarding headers and caller keys, any text: an address is read only from a
 * literal (no name is ever looked up) and reads back as itself; a key-hash list is taken or refused with an
 * {@link IllegalArgumentException} that never quotes a hash.
 */
class ForwardedAddressFuzzTest {

    static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

    @FuzzTest(maxDuration = "60s")
    void forwardedHop(byte[] header) {
        // Bytes, not a String parameter, so that the seeds are the header values as a proxy writes them.
        String hop = new String(header, StandardCharsets.ISO_8859_1);
        InetAddress address = IpLiteral.parseHop(hop);
        InetAddress literal = IpLiteral.parse(hop);
        for (InetAddress found : new InetAddress[] { address, literal }) {
            if (found != null) {
                assertEquals(found, IpLiteral.parse(found.getHostAddress()), "an address reads back as itself");
            }
        }
    }

    static final TrustedProxies TRUSTED = TrustedProxies.of(List.of("10.0.0.0/8", "fd00::/8"), new java.util.ArrayList<>());

    /**
     * Whole forwarding headers as they reach a trusted proxy's peer: a Forwarded header and an X-Forwarded-For header,
     * any text (the first byte picks the peer: a trusted proxy or a client). The client found is the peer, or an address
     * written in a hop; a peer that is not a trusted proxy is its own client, whatever the headers say; and the bucket
     * key is an IPv4 address or an IPv6 /64, never the headers' text.
     */
    @FuzzTest(maxDuration = "60s")
    void forwardingHeaders(byte[] data) throws Exception {
        InetAddress peer = InetAddress.getByName(data.length > 0 && (data[0] & 1) == 1 ? "10.1.2.3" : "192.0.2.7");
        String text = new String(data, Math.min(1, data.length), Math.max(0, data.length - 1), StandardCharsets.ISO_8859_1);
        int split = text.indexOf('\n');
        String forwarded = split < 0 ? text : text.substring(0, split);
        String xForwardedFor = split < 0 ? "" : text.substring(split + 1);
        for (boolean readForwarded : new boolean[] { true, false }) {
            List<String> hops = new java.util.ArrayList<>();
            if (readForwarded) {
                ClientAddress.forwardedFor(forwarded, hops);
            } else {
                hops.addAll(List.of(xForwardedFor.split(",")));
            }
            InetAddress client = ClientAddress.clientOf(peer, hops, TRUSTED);
            if (!TRUSTED.trusts(peer)) {
                assertEquals(peer, client, "a peer that is not a proxy of ours is its own client");
            } else if (!client.equals(peer)) {
                assertTrue(hops.stream().map(IpLiteral::parseHop).anyMatch(client::equals), "the client is an address a hop names");
            }
            String key = ClientAddress.key(client);
            assertTrue(key.matches("[0-9.]{7,15}|([0-9a-f]{1,4}:){4}:/64"), key);
        }
    }

    static final String KEY = "registration-key-0123456789abcdef";
    static final ApiKeys KEYS = ApiKeys.parse(List.of("registration:" + java.util.HexFormat.of().formatHex(ApiKeys.sha256(KEY))));

    /**
     * An {@code Authorization} header, any bytes: it names the caller exactly when it is {@code Bearer} (any case) and
     * the caller's key, give or take surrounding spaces; anything else names no one, and nothing fails.
     */
    @FuzzTest(maxDuration = "60s")
    void authorizationHeader(byte[] header) {
        String value = new String(header, StandardCharsets.ISO_8859_1);
        java.util.Optional<String> caller = CallerAuthentication.bearerKey(value).flatMap(KEYS::callerOf);
        boolean exact = value.length() > 7 && value.substring(0, 7).equalsIgnoreCase("bearer ") && value.substring(7).trim().equals(KEY);
        assertEquals(exact, caller.isPresent(), value);
        caller.ifPresent(name -> assertEquals("registration", name));
    }

    @FuzzTest(maxDuration = "60s")
    void apiKeyHashes(byte[] setting) {
        // The setting as an operator writes it: comma-separated name:sha256hex entries.
        List<String> entries = List.of(new String(setting, StandardCharsets.UTF_8).split(",", -1));
        try {
            ApiKeys keys = ApiKeys.parse(entries);
            assertNotNull(keys.names());
        } catch (IllegalArgumentException refused) {
            assertFalse(HEX64.matcher(refused.getMessage()).find(), "a refusal never quotes a hash");
        }
    }
}
