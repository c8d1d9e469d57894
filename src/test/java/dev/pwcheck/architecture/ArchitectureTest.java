package dev.pwcheck.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package map of docs/development.md, held: each package of the service uses only the packages its row names,
 * no two packages depend on each other through any path, and the map lists exactly the packages there are. Also no
 * main source file grows past {@link #MAX_SOURCE_LINES} lines.
 */
class ArchitectureTest {

    static final String ROOT = "dev.pwcheck";
    /** A row of the map: | `package` | what it holds | `may`, `use` |  ("—" for none). */
    static final Pattern ROW = Pattern.compile("^\\| `([a-z.()]+)` \\|[^|]+\\| ([^|]+) \\|$");
    /** A main source file longer than this holds more than one reason to change: it is split along its seam instead. */
    static final int MAX_SOURCE_LINES = 350;

    static JavaClasses classes;
    static Map<String, Set<String>> mayUse;

    @BeforeAll
    static void read() throws Exception {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
        mayUse = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("docs/development.md"))) {
            Matcher row = ROW.matcher(line.strip());
            if (row.matches()) {
                Set<String> uses = Arrays.stream(row.group(2).split(","))
                        .map(String::strip).filter(u -> u.startsWith("`")).map(u -> qualified(u.replace("`", "")))
                        .collect(Collectors.toCollection(TreeSet::new));
                mayUse.put(qualified(row.group(1)), uses);
            }
        }
        assertTrue(mayUse.size() >= 15, "the package map was found in docs/development.md: " + mayUse.keySet());
    }

    /** {@code (root)} is dev.pwcheck itself; {@code mirror.store} is dev.pwcheck.mirror.store. */
    static String qualified(String name) {
        return name.equals("(root)") ? ROOT : ROOT + "." + name;
    }

    @Test
    void theMapListsExactlyThePackagesThereAre() {
        Set<String> packages = classes.stream().map(JavaClass::getPackageName).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(packages, new TreeSet<>(mayUse.keySet()), "docs/development.md's package map");
        for (Set<String> uses : mayUse.values()) {
            assertTrue(packages.containsAll(uses), "the map names a package that does not exist: " + uses);
        }
    }

    @Test
    void noPackagesDependOnEachOther() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void eachPackageUsesOnlyWhatTheMapAllows() {
        for (Map.Entry<String, Set<String>> entry : mayUse.entrySet()) {
            Set<String> forbidden = new TreeSet<>(mayUse.keySet());
            forbidden.removeAll(entry.getValue());
            forbidden.remove(entry.getKey());
            if (forbidden.isEmpty()) {
                continue;
            }
            noClasses().that().resideInAPackage(entry.getKey())
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                    .because("docs/development.md: " + entry.getKey() + " may use " + entry.getValue())
                    .check(classes);
        }
    }

    @Test
    void noMainSourceFileIsOverTheLineLimit() throws IOException {
        Path sources = Path.of("src/main/java");
        assertTrue(Files.isDirectory(sources), "the tests run from the project root, where src/main/java is");
        List<String> over;
        try (Stream<Path> files = Files.walk(sources)) {
            over = files.filter(Files::isRegularFile).sorted()
                    .map(file -> Map.entry(file, lines(file))).filter(e -> e.getValue() > MAX_SOURCE_LINES)
                    .map(e -> e.getKey() + " (" + e.getValue() + " lines)").toList();
        }
        assertTrue(over.isEmpty(), "main source files over " + MAX_SOURCE_LINES + " lines: " + String.join(", ", over));
    }

    /** Lines as {@code wc -l} counts them, with a last line that has no line feed counted too. */
    static long lines(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            long lines = 0;
            for (byte b : bytes) {
                if (b == '\n') {
                    lines++;
                }
            }
            return bytes.length > 0 && bytes[bytes.length - 1] != '\n' ? lines + 1 : lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
