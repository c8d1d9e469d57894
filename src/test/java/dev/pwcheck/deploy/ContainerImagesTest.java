package dev.pwcheck.deploy;

import dev.pwcheck.check.CheckResponse;
import dev.pwcheck.problem.Problem;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What can be checked of the container builds without a container engine: the Dockerfiles' stages and users, and
 * the native-image settings the code depends on.
 */
class ContainerImagesTest {

    private static List<String> instructions(String file) throws IOException {
        return Files.readAllLines(Path.of(file)).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static List<String> startingWith(List<String> lines, String instruction) {
        return lines.stream().filter(l -> l.startsWith(instruction + " ")).toList();
    }

    @Test
    void theNativeImageIsBuiltWithMandrelAndRunsAsANumericNonRootUser() throws IOException {
        List<String> lines = instructions("Dockerfile.native");
        List<String> stages = startingWith(lines, "FROM");
        assertEquals(2, stages.size(), "a build stage and a runtime stage");
        assertTrue(stages.get(0).contains("mandrel-builder-image"), stages.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.contains("package -Dnative")), "builds the native profile");
        assertNumericNonRootUserInFinalStage(lines);
        assertTrue(startingWith(lines, "ENTRYPOINT").get(0).contains("quarkus.http.host=0.0.0.0"));
    }

    @Test
    void theJvmImageRunsAsANumericNonRootUser() throws IOException {
        List<String> lines = instructions("Dockerfile");
        assertEquals(2, startingWith(lines, "FROM").size());
        assertNumericNonRootUserInFinalStage(lines);
    }

    @Test
    void theBuildContextHoldsOnlyWhatTheBuildNeeds() throws IOException {
        assertEquals(List.of("*", "!mvnw", "!.mvn", "!pom.xml", "!src/main"), Files.readAllLines(Path.of(".dockerignore")));
    }

    private static void assertNumericNonRootUserInFinalStage(List<String> lines) {
        int lastFrom = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("FROM ")) {
                lastFrom = i;
            }
        }
        List<String> users = startingWith(lines.subList(lastFrom, lines.size()), "USER");
        assertEquals(1, users.size(), "one USER in the runtime stage");
        String uid = users.get(0).substring(5).split(":")[0];
        assertTrue(uid.matches("[1-9][0-9]*"), "numeric, non-zero uid: " + uid);
    }

    /** A static Random built at image build time would give every replica the same padding seeds. */
    @Test
    void everyClassHoldingAStaticRandomIsInitializedAtRunTimeInTheNativeImage() throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        String args = properties.getProperty("quarkus.native.additional-build-args", "");
        Pattern staticRandom = Pattern.compile("static\\s+(final\\s+)?\\w*Random\\s+\\w+\\s*=");
        List<String> holders = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher matcher = staticRandom.matcher(Files.readString(source));
                if (matcher.find()) {
                    String className = Path.of("src/main/java").relativize(source).toString().replace('/', '.').replaceAll("\\.java$", "");
                    holders.add(className);
                }
            }
        }
        assertTrue(holders.contains("dev.pwcheck.proxy.RangeText"), "the scan finds the padding's seed source: " + holders);
        for (String holder : holders) {
            assertTrue(args.contains("--initialize-at-run-time=") && args.contains(holder), holder + " is initialized at run time: " + args);
        }
    }

    @Test
    void bodiesSerializedOutsideResourceSignaturesAreRegisteredForReflection() {
        assertTrue(Problem.class.isAnnotationPresent(RegisterForReflection.class));
        assertTrue(CheckResponse.class.isAnnotationPresent(RegisterForReflection.class));
    }
}
