package dev.pwcheck.architecture;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/fuzz --list} runs and names every fuzz target there is: a {@code @FuzzTest} it does not list can only be
 * replayed, never fuzzed, and a script that does not run fuzzes nothing.
 */
class FuzzTargetsTest {

    static final Pattern FUZZ_TEST = Pattern.compile("@FuzzTest[^\\n]*\\n\\s*(?:public\\s+)?void\\s+(\\w+)\\(");

    @Test
    void everyFuzzTestIsATargetOfBinFuzz() throws Exception {
        Process list = new ProcessBuilder("bash", "bin/fuzz", "--list").redirectErrorStream(true).start();
        String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(list.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, list.exitValue(), out);

        List<String> targets = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = FUZZ_TEST.matcher(Files.readString(file));
                String className = Path.of("src/test/java").relativize(file).toString().replace('/', '.').replaceAll("\\.java$", "");
                while (m.find()) {
                    targets.add(className + "#" + m.group(1));
                }
            }
        }
        assertTrue(targets.size() >= 12, "the fuzz tests were found: " + targets);
        for (String target : targets) {
            assertTrue(out.lines().anyMatch(line -> line.split("\\s+").length > 2 && line.split("\\s+")[1].equals(target)),
                    target + " is listed by bin/fuzz --list:\n" + out);
        }
    }
}
