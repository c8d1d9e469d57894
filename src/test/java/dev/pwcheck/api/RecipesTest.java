package dev.pwcheck.api;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every snippet of docs/recipes.md runs in a test: a shell block calls the service on localhost (DocsExamplesTest
 * runs it), and any other block says, in an HTML comment on the line before it ({@code <!-- from PATH -->} or
 * {@code <!-- from PATH#NAME -->}), which tested file it is, or which region of one (between {@code recipe: NAME} and
 * {@code end recipe}); it must be exactly those lines, indentation aside. The widget's page is served from another
 * origin in the recipe, {@code https://pwcheck.example.org}, and from its own in the demo page.
 */
class RecipesTest {

    static final Path RECIPES = Path.of("docs/recipes.md");
    static final Pattern FROM = Pattern.compile("<!-- from ([^#\\s]+)(?:#(\\S+))? -->");

    record Block(int line, String language, String source, List<String> body) {
    }

    @Test
    void everySnippetIsTheTestedCodeItNames() throws Exception {
        List<Block> blocks = blocks();
        int named = 0;
        for (Block block : blocks) {
            String where = RECIPES + ":" + block.line();
            if (block.language().equals("sh")) {
                assertTrue(block.body().stream().anyMatch(l -> l.startsWith("curl ") && l.contains("http://localhost:")),
                        where + ": a shell block must call the service, so that DocsExamplesTest runs it");
                continue;
            }
            if (block.source() == null) {
                fail(where + ": a " + block.language() + " block without <!-- from PATH[#NAME] --> on the line before it");
            }
            Matcher from = FROM.matcher(block.source());
            assertTrue(from.matches(), where);
            List<String> tested = region(Path.of(from.group(1)), from.group(2));
            List<String> shown = block.body().stream().map(l -> l.replace("https://pwcheck.example.org/", "/")).toList();
            assertEquals(dedent(tested), dedent(shown), where + " differs from " + block.source());
            named++;
        }
        assertTrue(named >= 8, "the recipes' snippets were found: " + named);
        List<String> languages = blocks.stream().map(Block::language).distinct().toList();
        assertTrue(languages.containsAll(List.of("ruby", "java", "html", "sh")), "recipes in each language: " + languages);
    }

    static List<Block> blocks() throws Exception {
        List<String> lines = Files.readAllLines(RECIPES);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("```")) {
                continue;
            }
            int start = i;
            String language = lines.get(i).substring(3).strip();
            String source = start > 0 && FROM.matcher(lines.get(start - 1).strip()).matches() ? lines.get(start - 1).strip() : null;
            List<String> body = new ArrayList<>();
            while (++i < lines.size() && !lines.get(i).startsWith("```")) {
                body.add(lines.get(i));
            }
            blocks.add(new Block(start + 1, language, source, body));
        }
        return blocks;
    }

    /** The whole file, or the lines between the one holding {@code recipe: NAME} and the next holding {@code end recipe}. */
    static List<String> region(Path file, String name) throws Exception {
        assertTrue(Files.isRegularFile(file), file + " is named by the recipes but does not exist");
        List<String> lines = Files.readAllLines(file);
        if (name == null) {
            return lines;
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().matches("(//|#|<!--) recipe: " + Pattern.quote(name) + "( -->)?")) {
                List<String> region = new ArrayList<>();
                while (++i < lines.size() && !lines.get(i).contains("end recipe")) {
                    region.add(lines.get(i));
                }
                return region;
            }
        }
        throw new AssertionError(file + " has no region \"recipe: " + name + "\"");
    }

    /** Without the indentation all lines share, and without leading and trailing blank lines. */
    static List<String> dedent(List<String> lines) {
        List<String> trimmed = new ArrayList<>(lines.stream().map(String::stripTrailing).toList());
        while (!trimmed.isEmpty() && trimmed.get(0).isEmpty()) {
            trimmed.remove(0);
        }
        while (!trimmed.isEmpty() && trimmed.get(trimmed.size() - 1).isEmpty()) {
            trimmed.remove(trimmed.size() - 1);
        }
        int indent = trimmed.stream().filter(l -> !l.isEmpty()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return trimmed.stream().map(l -> l.isEmpty() ? l : l.substring(indent)).toList();
    }
}
