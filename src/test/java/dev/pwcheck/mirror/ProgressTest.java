package dev.pwcheck.mirror;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A progress line stays a line whatever it is told: work past its total shows as done, not as a failed job. */
class ProgressTest {

    @Test
    void workPastTheTotalShowsAsDone() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Progress progress = new Progress("ranges", 2, new PrintStream(out, true, StandardCharsets.UTF_8), false);

        progress.advance(5);
        progress.finish();

        String line = out.toString(StandardCharsets.UTF_8);
        assertTrue(line.contains("100.0%") && line.contains("5/2 ranges"), line);
    }
}
