package dev.pwcheck.security;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which hop of a forwarding chain is the client: the rightmost one our trusted proxies did not write. */
class ClientAddressTest {

    static final TrustedProxies INGRESS = TrustedProxies.of(List.of("10.42.0.0/16", "fd00:42::/32"), new ArrayList<>());
    static final InetAddress INGRESS_POD = IpLiteral.parse("10.42.7.9");

    private static String client(String... hops) {
        return ClientAddress.clientOf(INGRESS_POD, List.of(hops), INGRESS).getHostAddress();
    }

    @Test
    void theRightmostUntrustedHopIsTheClientWhateverTheClientPrependedToItsLeft() {
        assertEquals("203.0.113.5", client("1.1.1.1", "203.0.113.5"));
        assertEquals("203.0.113.5", client("9.9.9.9", "8.8.8.8", "203.0.113.5"));
    }

    @Test
    void hopsWrittenByTrustedProxiesAreSkipped() {
        assertEquals("203.0.113.5", client("1.1.1.1", "203.0.113.5", "10.42.1.1", "10.42.2.2"));
    }

    @Test
    void aChainOfOnlyTrustedProxiesEndsAtItsLeftmostHop() {
        assertEquals("10.42.1.1", client("10.42.1.1", "10.42.2.2"));
    }

    @Test
    void noHopsMeansThePeerItself() {
        assertEquals("10.42.7.9", client());
    }

    @Test
    void garbageEndsTheWalkAtTheLastTrustedProxyNeverAtAnAddressTheClientChose() {
        assertEquals("10.42.2.2", client("1.1.1.1", "not-an-ip", "10.42.2.2"));
        assertEquals("10.42.7.9", client("1.1.1.1", "unknown"));
        assertEquals("10.42.7.9", client("1.1.1.1", "300.1.1.1"));
        assertEquals("10.42.7.9", client("1.1.1.1", "example.com"), "no name is ever resolved");
    }

    @Test
    void portsBracketsAndQuotesAreStrippedFromHops() {
        assertEquals("203.0.113.5", client("203.0.113.5:4711"));
        assertEquals("2001:db8:0:0:0:0:0:1", client("[2001:db8::1]:443"));
        assertEquals("2001:db8:0:0:0:0:0:1", client("\"[2001:db8::1]\""));
        assertEquals("2001:db8:0:0:0:0:0:1", client("2001:db8::1"));
    }

    @Test
    void aHundredHopsAreWalkedFromTheRightWithoutFailing() {
        List<String> hops = new ArrayList<>(Collections.nCopies(99, "198.51.100.7"));
        hops.add("203.0.113.5");
        assertEquals("203.0.113.5", ClientAddress.clientOf(INGRESS_POD, hops, INGRESS).getHostAddress());
    }

    @Test
    void theForwardedHeaderYieldsItsForValuesInOrder() {
        List<String> hops = new ArrayList<>();
        ClientAddress.forwardedFor("for=192.0.2.60;proto=http;by=203.0.113.43, For=\"[2001:db8:cafe::17]:4711\"", hops);
        ClientAddress.forwardedFor("proto=https", hops);
        assertEquals(3, hops.size());
        assertEquals("192.0.2.60", IpLiteral.parseHop(hops.get(0)).getHostAddress());
        assertEquals("2001:db8:cafe:0:0:0:0:17", IpLiteral.parseHop(hops.get(1)).getHostAddress());
        assertNull(IpLiteral.parseHop(hops.get(2)), "an element without for= cannot be placed");
    }

    @Test
    void ipv6ClientsAreKeyedOnTheirSlash64() {
        assertEquals(ClientAddress.key(IpLiteral.parse("2001:db8:1:2::1")), ClientAddress.key(IpLiteral.parse("2001:db8:1:2:ffff::9")));
        assertFalse(ClientAddress.key(IpLiteral.parse("2001:db8:1:2::1")).equals(ClientAddress.key(IpLiteral.parse("2001:db8:1:3::1"))));
        assertEquals("192.0.2.1", ClientAddress.key(IpLiteral.parse("::ffff:192.0.2.1")), "IPv4-mapped is IPv4");
    }

    @Test
    void trustedProxiesTakeAddressesAndRangesAndReportTheRest() {
        List<String> unusable = new ArrayList<>();
        TrustedProxies proxies = TrustedProxies.of(List.of("127.0.0.1", "10.0.0.0/8", "fd00::/8", "ingress.local", "10.0.0.0/33"), unusable);
        assertTrue(proxies.trusts(IpLiteral.parse("127.0.0.1")));
        assertTrue(proxies.trusts(IpLiteral.parse("10.200.3.4")));
        assertTrue(proxies.trusts(IpLiteral.parse("fd12::1")));
        assertFalse(proxies.trusts(IpLiteral.parse("127.0.0.2")));
        assertFalse(proxies.trusts(IpLiteral.parse("11.0.0.1")));
        assertEquals(List.of("ingress.local", "10.0.0.0/33"), unusable);
    }
}
