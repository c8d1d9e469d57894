package dev.pwcheck.hash;

import dev.pwcheck.support.Hashes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;

class PasswordHasherTest {

    private static void hashesLikeTheJdk(String password) {
        String expected = Hashes.sha1(password);
        Sha1Hash hash = PasswordHasher.hash(password);
        assertEquals(expected.substring(0, 5), hash.prefix());
        assertArrayEquals(Hex.packSuffix(expected, 5), hash.packedSuffix());
    }

    @Test
    void theBestKnownPasswordHashesToItsKnownSha1() {
        Sha1Hash hash = PasswordHasher.hash("password");
        assertEquals("5BAA6", hash.prefix());
        assertArrayEquals(Sha1Hash.ofHex("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8").packedSuffix(), hash.packedSuffix());
    }

    @Test
    void unicodeIsHashedAsUtf8WithoutNormalisation() {
        hashesLikeTheJdk("pässwörd");
        hashesLikeTheJdk("密码🔑");
        // "é" precomposed and decomposed are different passwords to the corpus.
        assertFalse(java.util.Arrays.equals(PasswordHasher.hash("caf\u00e9").packedSuffix(), PasswordHasher.hash("cafe\u0301").packedSuffix()));
    }

    @Test
    void whitespaceIsKept() {
        hashesLikeTheJdk(" password ");
        hashesLikeTheJdk("\tpassword\n");
    }

    @Test
    void exactly1024BytesIsAcceptedAnd1025Refused() {
        hashesLikeTheJdk("a".repeat(1024));
        assertThrows(PasswordHasher.InvalidPasswordException.class, () -> PasswordHasher.hash("a".repeat(1025)));
        assertThrows(PasswordHasher.InvalidPasswordException.class, () -> PasswordHasher.hash("€".repeat(342)));
    }

    @Test
    void emptyAndLoneSurrogatesAreRefused() {
        assertThrows(PasswordHasher.InvalidPasswordException.class, () -> PasswordHasher.hash(""));
        assertThrows(PasswordHasher.InvalidPasswordException.class, () -> PasswordHasher.hash("ab\ud800cd"));
        assertThrows(PasswordHasher.InvalidPasswordException.class, () -> PasswordHasher.hash("ab\udc00"));
    }

    @Test
    void aHashNeverPrintsItself() {
        assertEquals("Sha1Hash[redacted]", PasswordHasher.hash("password").toString());
    }

    @Test
    void aSha1OfAnyCaseIsAcceptedAndAnythingElseRefused() {
        assertEquals("5BAA6", Sha1Hash.ofHex("5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8").prefix());
        assertThrows(IllegalArgumentException.class, () -> Sha1Hash.ofHex("5baa61e4c9b93f3f0682250b6cf8331b7ee68fd"));
        assertThrows(IllegalArgumentException.class, () -> Sha1Hash.ofHex("5baa61e4c9b93f3f0682250b6cf8331b7ee68fdz"));
        assertThrows(IllegalArgumentException.class, () -> Sha1Hash.ofHex(null));
    }
}
