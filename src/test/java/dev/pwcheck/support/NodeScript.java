package dev.pwcheck.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the Node.js checks in src/test/e2e (a real browser, a third-party HIBP client, the OpenAPI linter)
 * against the service under test. Installs their npm packages first when they are missing, so `./mvnw -B verify` alone is enough wherever
 * Node.js (and, for the browser, Debian's chromium) is installed.
 */
public final class NodeScript {

    public static final Path DIR = Path.of("src", "test", "e2e").toAbsolutePath();

    /** What a run printed and how it ended. */
    public record Result(int exitCode, String output) {
    }

    private NodeScript() {
    }

    public static Result run(String script, Map<String, String> env) throws IOException, InterruptedException {
        installPackages();
        return exec(List.of("node", script), env, 180);
    }

    /** Runs a command-line tool one of the packages installs ({@code node_modules/.bin/<tool>}) in {@link #DIR}. */
    public static Result tool(String tool, String... args) throws IOException, InterruptedException {
        installPackages();
        List<String> command = new java.util.ArrayList<>(List.of(DIR.resolve("node_modules").resolve(".bin").resolve(tool).toString()));
        command.addAll(List.of(args));
        return exec(command, Map.of(), 180);
    }

    private static synchronized void installPackages() throws IOException, InterruptedException {
        Path modules = DIR.resolve("node_modules");
        if (Files.isDirectory(modules.resolve("playwright-core")) && Files.isDirectory(modules.resolve("hibp"))
                && Files.isDirectory(modules.resolve("@redocly").resolve("cli"))) {
            return;
        }
        Result install = exec(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
        if (install.exitCode() != 0) {
            throw new IllegalStateException("npm ci in " + DIR + " failed:\n" + install.output());
        }
    }

    private static Result exec(List<String> command, Map<String, String> env, int timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("node-script", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException notInstalled) {
            throw new AssertionError(command.get(0) + " is not installed: run bin/test, which installs it (Debian: apt-get install nodejs npm)", notInstalled);
        }
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "timed out after " + timeoutSeconds + " s:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Result(process.exitValue(), output);
    }
}
