package dev.pwcheck.api;

import dev.pwcheck.support.Management;
import dev.pwcheck.support.PythonFakeUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every shell example in README.md and docs/*.md that calls the service on localhost is run, in document order,
 * against this instance, whose upstream is the bundled fake with the sample passwords (what bench/try-offline.sh
 * runs). A {@code # } line right after a command is the output it must print, line for line.
 */
@QuarkusTest
@QuarkusTestResource(value = PythonFakeUpstream.class, restrictToAnnotatedClass = true)
class DocsExamplesTest {

    /** One command of a shell block and the output the document says it prints (empty: only that it succeeds). */
    record Example(String where, String command, List<String> expected) {
    }

    @TestHTTPResource("/")
    URL service;

    @Test
    void everyExampleInTheDocumentationRunsAndPrintsWhatItSays() throws Exception {
        List<Example> examples = examples();
        assertTrue(examples.size() >= 15, "the documents' examples were found: " + examples.size());
        for (Example example : examples) {
            String command = example.command()
                    .replace("http://localhost:8080", "http://127.0.0.1:" + service.getPort())
                    .replace("http://localhost:9000", "http://127.0.0.1:" + Management.port());
            Process bash = new ProcessBuilder("bash", "-o", "pipefail", "-c", command).redirectErrorStream(true).start();
            String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(bash.waitFor(30, TimeUnit.SECONDS), example.where() + " did not finish");
            assertEquals(0, bash.exitValue(), example.where() + ": " + example.command() + "\n" + output);
            List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            if (example.expected().isEmpty()) {
                assertFalse(lines.isEmpty(), example.where() + " printed nothing: " + example.command());
            } else {
                assertEquals(example.expected(), lines, example.where() + ": " + example.command());
            }
        }
    }

    static List<Example> examples() throws Exception {
        List<Path> documents = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        List<Example> examples = new ArrayList<>();
        for (Path document : documents) {
            List<String> lines = Files.readAllLines(document);
            boolean inShell = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("```")) {
                    inShell = !inShell && line.strip().equals("```sh");
                    continue;
                }
                if (!inShell || !line.startsWith("curl ") || !line.contains("http://localhost:")) {
                    continue;
                }
                StringBuilder command = new StringBuilder(line);
                while (command.toString().endsWith("\\") && i + 1 < lines.size()) {
                    command.append('\n').append(lines.get(++i));
                }
                String where = document + ":" + (i + 1);
                List<String> expected = new ArrayList<>();
                while (i + 1 < lines.size() && lines.get(i + 1).startsWith("# ")) {
                    expected.add(lines.get(++i).substring(2).strip());
                }
                examples.add(new Example(where, command.toString(), expected));
            }
        }
        return examples;
    }
}
