package dev.pwcheck.deploy;

import dev.pwcheck.deploy.Manifests.Doc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.pwcheck.deploy.Manifests.list;
import static dev.pwcheck.deploy.Manifests.map;
import static dev.pwcheck.deploy.Manifests.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example installation as the cluster would receive it: rendered by {@code kubectl kustomize} (kubectl is on the
 * build machines; its kustomize is the one {@code kubectl apply -k} uses), so patches, the namespace and the image
 * are applied before anything is asserted.
 */
class RenderedOverlayTest {

    static List<Doc> rendered;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void render() throws Exception {
        Process kubectl;
        try {
            kubectl = new ProcessBuilder("kubectl", "kustomize", Manifests.ROOT.resolve("overlays/example").toString())
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException notInstalled) {
            throw new AssertionError("kubectl is not installed: run bin/test, which installs it (Debian: apt-get install kubernetes-client)", notInstalled);
        }
        String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(kubectl.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish");
        assertEquals(0, kubectl.exitValue(), out);
        rendered = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(out)) {
            rendered.add(new Doc(Manifests.ROOT, (Map<String, Object>) doc));
        }
    }

    private static Map<String, Object> container(String deployment) {
        return list(map(one(rendered, "Deployment", deployment).body(), "spec", "template", "spec"), "containers").get(0);
    }

    @Test
    void theIngressRoutesOnlyTheBrowserPathsToThePublicPort() {
        Map<String, Object> spec = map(one(rendered, "Ingress", "pwcheck").body(), "spec");
        List<String> paths = new ArrayList<>();
        for (Map<String, Object> rule : list(spec, "rules")) {
            for (Map<String, Object> path : list(map(rule, "http"), "paths")) {
                paths.add((String) path.get("path"));
                assertEquals(Map.of("name", "pwcheck", "port", Map.of("name", "http")), map(path, "backend", "service"));
            }
        }
        assertEquals(List.of("/range/", "/widget/"), paths);
    }

    @Test
    void theIngressControllerIsAdmittedToTheApiPortAndOnlyPrometheusToManagement() {
        List<Map<String, Object>> ingress = list(map(one(rendered, "NetworkPolicy", "pwcheck").body(), "spec"), "ingress");
        for (Map<String, Object> rule : ingress) {
            boolean management = list(rule, "ports").stream().anyMatch(p -> p.get("port").equals(9000));
            Map<String, Object> pods = map(list(rule, "from").get(0), "podSelector", "matchLabels");
            if (management) {
                assertEquals(Map.of("app.kubernetes.io/name", "prometheus"), pods);
            }
        }
        assertTrue(ingress.stream().anyMatch(r -> map(list(r, "from").get(0), "podSelector", "matchLabels")
                .equals(Map.of("app.kubernetes.io/name", "ingress-nginx"))), "the ingress controller reaches the API port");
        assertTrue(ingress.stream().anyMatch(r -> map(list(r, "from").get(0), "podSelector", "matchLabels")
                .equals(Map.of("app.kubernetes.io/name", "rubygems-web"))), "the overlay's registry pods reach the API port");
    }

    @Test
    void probesAndTheServiceMonitorUseTheManagementPort() {
        Map<String, Object> pwcheck = container("pwcheck");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertEquals("management", map(pwcheck, probe, "httpGet").get("port"), probe);
        }
        Map<String, Object> endpoint = list(map(one(rendered, "ServiceMonitor", "pwcheck").body(), "spec"), "endpoints").get(0);
        assertEquals("management", endpoint.get("port"));
        assertTrue(list(map(one(rendered, "Service", "pwcheck").body(), "spec"), "ports").stream()
                .anyMatch(p -> "management".equals(p.get("name")) && p.get("port").equals(9000)));
    }

    @Test
    void redisRequiresAPasswordFromTheSecretThatTheServiceSends() {
        Map<String, Object> redis = container("pwcheck-redis");
        @SuppressWarnings("unchecked")
        List<String> args = (List<String>) redis.get("args");
        int at = args.indexOf("--requirepass");
        assertTrue(at >= 0, "redis starts with a password");
        assertEquals("$(REDIS_PASSWORD)", args.get(at + 1));
        Map<String, Object> secretRef = Map.of("secretKeyRef", Map.of("name", "pwcheck-redis", "key", "password"));
        assertTrue(list(redis, "env").stream().anyMatch(e -> "REDIS_PASSWORD".equals(e.get("name")) && secretRef.equals(e.get("valueFrom"))));
        assertTrue(list(container("pwcheck"), "env").stream()
                .anyMatch(e -> "QUARKUS_REDIS_PASSWORD".equals(e.get("name")) && secretRef.equals(e.get("valueFrom"))));
    }

    @Test
    void theMonitoringIsPartOfTheInstallation() {
        Map<String, Object> dashboard = one(rendered, "ConfigMap", "pwcheck-dashboard").body();
        assertEquals("1", map(dashboard, "metadata", "labels").get("grafana_dashboard"), "picked up by Grafana's dashboard sidecar");
        assertTrue(((String) map(dashboard, "data").get("pwcheck-dashboard.json")).contains("\"uid\": \"pwcheck-overview\""));
        Map<String, Object> rule = one(rendered, "PrometheusRule", "pwcheck").body();
        assertEquals("pwcheck", map(rule, "metadata").get("namespace"));
        assertEquals(2, list(map(rule, "spec"), "groups").size());
    }

    @Test
    void theReplicasShareTheirRateLimitsThroughTheirRedis() {
        Map<String, Object> data = map(one(rendered, "ConfigMap", "pwcheck").body(), "data");
        assertEquals("redis", data.get("PWCHECK_RATE_LIMIT_SHARED"), "several replicas admit one budget, not one each");
        assertEquals("redis", data.get("PWCHECK_CACHE_SHARED"), "the buckets live in the shared tier's Redis");
        assertTrue(((String) data.get("QUARKUS_REDIS_HOSTS")).contains("pwcheck-redis"));
    }

    @Test
    void onlyANarrowRangeIsTrustedAsProxies() {
        String trusted = (String) map(one(rendered, "ConfigMap", "pwcheck").body(), "data").get("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES");
        for (String entry : trusted.split(",")) {
            int bits = entry.contains("/") ? Integer.parseInt(entry.substring(entry.indexOf('/') + 1).trim()) : 32;
            assertTrue(bits >= 24, "trusted proxy range " + entry + " is wider than an ingress controller's pods need");
        }
        assertFalse(trusted.contains("10.0.0.0/8"));
    }
}
