package dev.pwcheck.proxy;

import dev.pwcheck.format.HashMode;
import dev.pwcheck.hash.Hex;
import dev.pwcheck.hash.Sha1Hash;
import dev.pwcheck.problem.ProblemException;

import java.util.Locale;

/**
 * What {@code GET /range/{prefix}?mode=} asks for, from the path and query as a browser or a scraper sent them: a
 * 5-hex prefix in any case and {@code sha1} (the default) or {@code ntlm}, or a 400 problem that never quotes them.
 */
record RangePath(HashMode mode, String prefix) {

    static RangePath parse(String prefix, String mode) {
        if (prefix == null || prefix.length() != Sha1Hash.PREFIX_LENGTH || !Hex.isHex(prefix)) {
            throw ProblemException.badRequest("the prefix must be 5 hexadecimal characters");
        }
        HashMode hashMode = HashMode.fromWire(mode).orElseThrow(() -> ProblemException.badRequest("mode must be sha1 or ntlm"));
        return new RangePath(hashMode, prefix.toUpperCase(Locale.ROOT));
    }
}
