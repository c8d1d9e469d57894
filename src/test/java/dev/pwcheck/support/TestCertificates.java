package dev.pwcheck.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private certificate authority made for one test run with openssl (as an operator's corporate CA would be), a
 * server certificate it signed for {@code localhost} and {@code 127.0.0.1}, and a PKCS12 trust store holding only the
 * CA, made with the JDK's keytool: what a service that must trust an internal mirror is given.
 */
public record TestCertificates(Path serverCertificate, Path serverKey, Path caCertificate, Path trustStore) {

    public static final String TRUST_STORE = "ca-truststore.p12";
    public static final String PASSWORD = "changeit-test";

    public static TestCertificates in(Path dir) {
        try {
            Files.createDirectories(dir);
            Path ca = dir.resolve("ca.pem");
            Path caKey = dir.resolve("ca.key");
            Path key = dir.resolve("server.key");
            Path csr = dir.resolve("server.csr");
            Path cert = dir.resolve("server.pem");
            Path ext = dir.resolve("server.ext");
            Files.writeString(ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
            run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(), "-out", ca.toString(),
                    "-days", "2", "-subj", "/CN=pwcheck test CA");
            run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(),
                    "-subj", "/CN=localhost");
            run(dir, "openssl", "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                    "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
            Path trustStore = dir.resolve(TRUST_STORE);
            run(dir, Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt",
                    "-alias", "pwcheck-test-ca", "-file", ca.toString(), "-keystore", trustStore.toString(),
                    "-storetype", "PKCS12", "-storepass", PASSWORD);
            return new TestCertificates(cert, key, ca, trustStore);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(Path dir, String... command) throws IOException {
        Path log = dir.resolve("tool.log");
        Process process;
        try {
            process = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException notInstalled) {
            throw new AssertionError(command[0] + " is not installed: run bin/test, which installs it (Debian: apt-get install openssl)", notInstalled);
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
