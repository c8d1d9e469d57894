package dev.pwcheck.security;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
