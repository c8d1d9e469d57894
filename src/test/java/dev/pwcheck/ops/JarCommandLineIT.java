package dev.pwcheck.ops;

import dev.pwcheck.support.Ports;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar asked for help prints what it runs and exits 0 without starting the service; a stray argument is
 * refused (exit 2) instead of starting a production service on 0.0.0.0; {@code mirror help} is {@code mirror --help}.
 */
class JarCommandLineIT {

    record Run(int status, String out, String err) {
    }

    /** Runs the jar with {@code args}, on a public port nothing else uses, and waits for it to end by itself. */
    static Run run(int port, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + Ports.free(), "-jar", System.getProperty("pwcheck.jar")));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        assertTrue(ended, "java -jar " + String.join(" ", args) + " did not end by itself: it started something");
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static boolean listening(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void helpPrintsWhatTheJarRunsAndStartsNothing() throws Exception {
        for (String help : new String[] { "--help", "-h", "help" }) {
            int port = Ports.free();
            Run run = run(port, help);

            assertEquals(0, run.status(), help + ": " + run.err());
            assertTrue(run.out().contains("With no arguments: the pwcheck service"), run.out());
            assertTrue(run.out().contains("pwcheck.upstream.url"), run.out());
            for (String mirror : new String[] { "mirror COMMAND", "sync", "import", "export", "top", "verify" }) {
                assertTrue(run.out().contains(mirror), help + " names " + mirror + ": " + run.out());
            }
            assertFalse(run.out().contains("Listening on") || run.err().contains("Listening on"), "no server started");
            assertFalse(listening(port), "nothing listens on the service's port");
        }
    }

    @Test
    void aStrayArgumentIsRefusedNamingWhatIsValid() throws Exception {
        Run run = run(Ports.free(), "--hlep");

        assertEquals(2, run.status());
        assertEquals("Unknown argument '--hlep': run with no arguments for the service, 'mirror COMMAND' for the mirror tool, or --help.",
                run.err().strip());
    }

    @Test
    void mirrorHelpIsMirrorDashDashHelp() throws Exception {
        Run help = run(Ports.free(), "mirror", "help");
        Run dashDash = run(Ports.free(), "mirror", "--help");

        assertEquals(0, help.status(), help.err());
        assertEquals(dashDash.out(), help.out());
        assertTrue(help.out().contains("verify"), help.out());
        Run sync = run(Ports.free(), "mirror", "help", "sync");
        assertEquals(0, sync.status());
        assertTrue(sync.out().contains("--upstream"), sync.out());
    }
}
