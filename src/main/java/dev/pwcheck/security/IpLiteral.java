package dev.pwcheck.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Turns text a client may have written (a forwarding header's hop) into an address, or null. Only literals are
 * accepted, so nothing in a header can make the service resolve a name.
 */
final class IpLiteral {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private IpLiteral() {
    }

    /** @return the address {@code text} spells (IPv4, or IPv6 with at least one colon), or null */
    static InetAddress parse(String text) {
        if (text == null) {
            return null;
        }
        boolean v4 = IPV4.matcher(text).matches();
        if (!v4 && !(text.indexOf(':') >= 0 && IPV6.matcher(text).matches())) {
            return null;
        }
        if (v4) {
            for (String octet : text.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return null;
                }
            }
        }
        try {
            // A literal by the checks above: getByName parses it and never asks DNS.
            return InetAddress.getByName(text);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * One hop of {@code X-Forwarded-For} or the value of a {@code Forwarded} {@code for=} parameter: an address with
     * optional quotes, brackets and port ({@code 192.0.2.1:4711}, {@code "[2001:db8::1]:80"}, {@code 2001:db8::1}).
     */
    static InetAddress parseHop(String hop) {
        String text = hop.trim();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1).trim();
        }
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                return null;
            }
            String rest = text.substring(close + 1);
            if (!rest.isEmpty() && !rest.matches(":\\d{1,5}")) {
                return null;
            }
            return parse(text.substring(1, close));
        }
        int colon = text.indexOf(':');
        if (colon >= 0 && colon == text.lastIndexOf(':')) {
            // One colon: IPv4 with a port (a bare IPv6 address has at least two).
            if (!text.substring(colon + 1).matches("\\d{1,5}")) {
                return null;
            }
            text = text.substring(0, colon);
        }
        return parse(text);
    }
}
