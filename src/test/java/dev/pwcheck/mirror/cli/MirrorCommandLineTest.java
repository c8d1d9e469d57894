package dev.pwcheck.mirror.cli;

import dev.pwcheck.support.Corpus;
import dev.pwcheck.support.DownloaderFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mirror command line as an operator types it: every subcommand, its help, and mistakes refused as bad usage. */
public class MirrorCommandLineTest {

    @TempDir
    Path dir;

    public record Run(int status, String out, String err) {
    }

    public static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MirrorCommand.run(args, new PrintStream(out, true), new PrintStream(err, true));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path input() throws IOException {
        return DownloaderFiles.singleFile(Corpus.random(3, 40, List.of("00000", "5BAA6"), 300), dir.resolve("pwnedpasswords.txt"), "\n", true);
    }

    @Test
    void everySubcommandHasItsOwnHelp() {
        for (String command : List.of("sync", "import", "export", "top", "verify")) {
            Run help = run(command, "--help");
            assertEquals(0, help.status(), command);
            assertTrue(help.out().contains("--dir"), command + " --help names its options: " + help.out());
        }
        assertTrue(run("import", "--help").out().contains("--format"));
        assertTrue(run("export", "--help").out().contains("--to-ranges"));
    }

    @Test
    void verifyingAMissingStoreSaysSoOnceWithoutRepeatingThePath() {
        Path missing = dir.resolve("nowhere");
        Run verify = run("verify", "--dir", missing.toString());

        assertEquals(1, verify.status());
        assertEquals("mirror verify failed: cannot open " + missing.resolve("sha1.pwstore") + ": no such file (mirror sync or mirror import"
                + " writes it)", verify.err().strip());
    }

    @Test
    void syncReadsTheServicesUpstreamKeysOnlyWithoutUpstreamAndRefusesABadOneAsUsage() {
        System.setProperty("pwcheck.upstream.connect-timeout", "300"); // 300 seconds: the slip the new key refuses
        try {
            Run bad = run("sync", "--dir", dir.resolve("s").toString(), "--retries", "1", "--timeout", "1s", "--only", "00000");
            assertEquals(2, bad.status(), bad.err());
            assertTrue(bad.err().contains("the upstream's settings cannot be read: pwcheck.upstream.connect-timeout must be above 0"
                    + " and at most 60 s"), bad.err());
            assertFalse(bad.err().contains("\tat "), "no stack trace");

            // With --upstream the service's keys are not read: the sync runs (and fails at the closed port, exit 1).
            Run given = run("sync", "--dir", dir.resolve("s").toString(), "--upstream", "http://127.0.0.1:1", "--retries", "1",
                    "--timeout", "1s", "--only", "00000");
            assertEquals(1, given.status(), given.err());
        } finally {
            System.clearProperty("pwcheck.upstream.connect-timeout");
        }
    }

    @Test
    void helpIsACommandToo() {
        Run help = run("help");
        assertEquals(0, help.status(), help.err());
        assertEquals(run("--help").out(), help.out());
        Run syncHelp = run("help", "sync");
        assertEquals(0, syncHelp.status());
        assertEquals(run("sync", "--help").out(), syncHelp.out());
    }

    @Test
    void anUnknownOptionIsBadUsageNotIgnored() throws IOException {
        Run bogus = run("import", "--dir", dir.resolve("s").toString(), "--from", input().toString(), "--partial", "--bogus-flag", "yes");

        assertEquals(2, bogus.status());
        assertTrue(bogus.err().contains("--bogus-flag"), bogus.err());
        assertFalse(Files.exists(dir.resolve("s").resolve("sha1.pwstore")), "nothing was imported");
    }

    @Test
    void aMistypedOptionNameIsBadUsage() throws IOException {
        Run typo = run("import", "--dir", dir.resolve("s").toString(), "--from", input().toString(), "--mod", "ntlm");

        assertEquals(2, typo.status());
        assertTrue(typo.err().contains("--mod"), typo.err());
    }

    @Test
    void valuesOfTheWrongTypeAreBadUsage() {
        assertEquals(2, run("sync", "--dir", dir.toString(), "--concurency", "64").status());
        assertEquals(2, run("sync", "--dir", dir.toString(), "--concurrency", "lots").status());
        assertEquals(2, run("sync", "--dir", dir.toString(), "--concurrency", "0").status());
        assertEquals(2, run("sync", "--dir", dir.toString(), "--timeout", "soon").status());
        assertEquals(2, run("import", "--dir", dir.toString(), "--from", "x", "--format", "tiny").status());
        assertEquals(2, run("verify", "--dir", dir.toString(), "--mode", "md5").status());
        assertEquals(2, run("top", "--dir", dir.toString(), "--to", dir.toString(), "--count", "-5").status());
        assertEquals(2, run("export", "--dir", dir.toString()).status(), "export needs --to or --to-ranges");
        assertEquals(2, run("export", "--dir", dir.toString(), "--to", "a", "--to-ranges", "b").status(), "not both");
        assertEquals(2, run("frobnicate").status());
        assertEquals(2, run().status());
    }

    @Test
    void importCompactThenVerifyDescribesTheStore() throws IOException {
        Run imported = run("import", "--dir", dir.resolve("s").toString(), "--from", input().toString(), "--partial", "--format", "compact");
        Run verified = run("verify", "--dir", dir.resolve("s").toString());

        assertEquals(0, imported.status(), imported.err());
        assertTrue(imported.out().contains("merged because their first 64 bits matched: 0"), imported.out());
        assertEquals(0, verified.status(), verified.err());
        assertTrue(verified.out().contains("sha1 compact store, 600 hashes"), verified.out());
    }

    @Test
    void exportAndTopRunFromTheCommandLine() throws IOException {
        assertEquals(0, run("import", "--dir", dir.resolve("s").toString(), "--from", input().toString(), "--partial").status());

        Run exported = run("export", "--dir", dir.resolve("s").toString(), "--to", dir.resolve("out.txt").toString());
        Run top = run("top", "--dir", dir.resolve("s").toString(), "--count", "10", "--to", dir.resolve("top").toString());

        assertEquals(0, exported.status(), exported.err());
        assertEquals(600, Files.readAllLines(dir.resolve("out.txt")).size());
        assertEquals(0, top.status(), top.err());
        assertTrue(top.out().contains("sha1 full subset (top) store, 10 hashes"), top.out());
    }

    @Test
    void aFailureIsExitOneWithTheReason() {
        Run missing = run("verify", "--dir", dir.resolve("nothing-here").toString());

        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("mirror verify failed: "), missing.err());
    }
}
