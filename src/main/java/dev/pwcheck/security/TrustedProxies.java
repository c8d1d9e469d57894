package dev.pwcheck.security;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxies whose forwarding headers are believed ({@code quarkus.http.proxy.trusted-proxies}): addresses and CIDR
 * ranges, IPv4 or IPv6.
 */
final class TrustedProxies {

    private record Range(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = ranges;
    }

    /**
     * @param entries {@code 10.1.2.3}, {@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}; anything else (a host name)
     *        goes to {@code unusable} and is not trusted
     */
    static TrustedProxies of(List<String> entries, List<String> unusable) {
        List<Range> ranges = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            InetAddress address = IpLiteral.parse(slash < 0 ? entry : entry.substring(0, slash));
            int max = address == null ? 0 : address.getAddress().length * 8;
            int bits = max;
            if (address != null && slash >= 0) {
                String suffix = entry.substring(slash + 1);
                bits = suffix.matches("\\d{1,3}") ? Integer.parseInt(suffix) : -1;
            }
            if (address == null || bits < 0 || bits > max) {
                unusable.add(entry);
                continue;
            }
            ranges.add(new Range(address.getAddress(), bits));
        }
        return new TrustedProxies(List.copyOf(ranges));
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    boolean trusts(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Range range : ranges) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }
}
