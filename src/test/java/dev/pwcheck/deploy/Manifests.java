package dev.pwcheck.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The Kubernetes manifests under k8s/, parsed as YAML documents, with small helpers to walk them. */
final class Manifests {

    static final Path ROOT = Path.of("k8s").toAbsolutePath();

    record Doc(Path file, Map<String, Object> body) {
        String kind() {
            return (String) body.get("kind");
        }

        String name() {
            return (String) map(body, "metadata").get("name");
        }
    }

    private Manifests() {
    }

    static List<Path> files() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            // promtool's unit tests for the alert rules sit beside them, but are not Kubernetes manifests.
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .filter(f -> !f.getFileName().toString().endsWith("-test.yaml")).sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    static List<Doc> documents(Path file) throws IOException {
        List<Doc> docs = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                if (doc != null) {
                    docs.add(new Doc(file, (Map<String, Object>) doc));
                }
            }
        }
        return docs;
    }

    /** Every resource in the base (not the kustomization files). */
    static List<Doc> base() throws IOException {
        List<Doc> docs = new ArrayList<>();
        for (Path file : files()) {
            if (file.startsWith(ROOT.resolve("base")) && !file.getFileName().toString().equals("kustomization.yaml")) {
                docs.addAll(documents(file));
            }
        }
        return docs;
    }

    /**
     * An overlay as the cluster would receive it, rendered by {@code kubectl kustomize} (the kustomize that
     * {@code kubectl apply -k} uses): patches, namespace and images applied.
     */
    @SuppressWarnings("unchecked")
    static List<Doc> render(String overlay) throws IOException, InterruptedException {
        Path dir = ROOT.resolve(overlay);
        Process kubectl;
        try {
            kubectl = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            throw new AssertionError("kubectl is not installed: run bin/test, which installs it (Debian: apt-get install kubernetes-client)", notInstalled);
        }
        String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kubectl.waitFor(60, TimeUnit.SECONDS)) {
            kubectl.destroyForcibly();
            throw new AssertionError("kubectl kustomize " + overlay + " did not finish");
        }
        if (kubectl.exitValue() != 0) {
            throw new AssertionError("kubectl kustomize " + overlay + " failed: " + out);
        }
        List<Doc> docs = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(out)) {
            if (doc != null) {
                docs.add(new Doc(dir, (Map<String, Object>) doc));
            }
        }
        return docs;
    }

    static Doc one(List<Doc> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.kind()) && name.equals(d.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in k8s/base"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> from, String... path) {
        Object at = from;
        for (String key : path) {
            if (!(at instanceof Map)) {
                throw new AssertionError("no " + String.join(".", path));
            }
            at = ((Map<String, Object>) at).get(key);
        }
        if (!(at instanceof Map)) {
            throw new AssertionError("no map at " + String.join(".", path));
        }
        return (Map<String, Object>) at;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> from, String key) {
        Object value = from.get(key);
        if (!(value instanceof List)) {
            throw new AssertionError("no list at " + key);
        }
        return (List<Map<String, Object>>) value;
    }
}
