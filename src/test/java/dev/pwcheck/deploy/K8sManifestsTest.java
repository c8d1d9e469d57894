package dev.pwcheck.deploy;

import dev.pwcheck.deploy.Manifests.Doc;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.pwcheck.deploy.Manifests.list;
import static dev.pwcheck.deploy.Manifests.map;
import static dev.pwcheck.deploy.Manifests.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manifests under k8s/ as a platform engineer reads them: every property the deployment promises, checked. */
class K8sManifestsTest {

    @Test
    void everyManifestParsesAndNamesItsKind() throws IOException {
        List<Path> files = Manifests.files();
        assertTrue(files.size() >= 10, "manifests found: " + files);
        for (Path file : files) {
            for (Doc doc : Manifests.documents(file)) {
                assertNotNull(doc.body().get("apiVersion"), file + " has an apiVersion");
                assertNotNull(doc.kind(), file + " has a kind");
                if (!doc.kind().equals("Kustomization")) {
                    assertNotNull(doc.name(), file + " names its " + doc.kind());
                }
            }
        }
    }

    @Test
    void theBaseKustomizationListsEveryBaseFile() throws IOException {
        Map<String, Object> kustomization = Manifests.documents(Manifests.ROOT.resolve("base/kustomization.yaml")).get(0).body();
        @SuppressWarnings("unchecked")
        Set<String> listed = new HashSet<>((List<String>) kustomization.get("resources"));
        try (var files = Files.list(Manifests.ROOT.resolve("base"))) {
            Set<String> present = files.map(f -> f.getFileName().toString()).filter(n -> !n.equals("kustomization.yaml")).collect(Collectors.toSet());
            assertEquals(present, listed);
        }
    }

    @Test
    void theServiceRunsAtLeastTwoReplicasWithProbesOnHealth() throws IOException {
        Map<String, Object> spec = map(one(Manifests.base(), "Deployment", "pwcheck").body(), "spec");
        assertTrue((Integer) spec.get("replicas") >= 2);
        Map<String, Object> container = list(map(spec, "template", "spec"), "containers").get(0);
        assertEquals("/q/health/started", map(container, "startupProbe", "httpGet").get("path"));
        assertEquals("/q/health/live", map(container, "livenessProbe", "httpGet").get("path"));
        assertEquals("/q/health/ready", map(container, "readinessProbe", "httpGet").get("path"));
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertEquals("management", map(container, probe, "httpGet").get("port"), probe + " on the management port");
        }
        for (String kind : List.of("requests", "limits")) {
            Map<String, Object> resources = map(container, "resources", kind);
            assertNotNull(resources.get("cpu"), kind + ".cpu");
            assertNotNull(resources.get("memory"), kind + ".memory");
        }
    }

    @Test
    void everyPodRunsNonRootReadOnlyWithoutCapabilitiesUnderTheRuntimeSeccompProfile() throws IOException {
        List<Doc> deployments = Manifests.base().stream().filter(d -> d.kind().equals("Deployment")).toList();
        assertEquals(2, deployments.size(), "pwcheck and its redis");
        for (Doc deployment : deployments) {
            Map<String, Object> pod = map(deployment.body(), "spec", "template", "spec");
            assertEquals(Boolean.TRUE, map(pod, "securityContext").get("runAsNonRoot"), deployment.name());
            assertEquals("RuntimeDefault", map(pod, "securityContext", "seccompProfile").get("type"), deployment.name());
            assertEquals(Boolean.FALSE, pod.get("automountServiceAccountToken"), deployment.name());
            for (Map<String, Object> container : list(pod, "containers")) {
                Map<String, Object> security = map(container, "securityContext");
                String where = deployment.name() + "/" + container.get("name");
                assertEquals(Boolean.TRUE, security.get("runAsNonRoot"), where);
                assertEquals(Boolean.TRUE, security.get("readOnlyRootFilesystem"), where);
                assertEquals(Boolean.FALSE, security.get("allowPrivilegeEscalation"), where);
                assertEquals(List.of("ALL"), map(security, "capabilities").get("drop"), where);
                assertEquals("RuntimeDefault", map(security, "seccompProfile").get("type"), where);
                assertNotNull(map(container, "resources", "limits").get("memory"), where);
            }
        }
    }

    @Test
    void apiKeysComeFromASecretAndSettingsFromTheConfigMap() throws IOException {
        Map<String, Object> container = list(map(one(Manifests.base(), "Deployment", "pwcheck").body(), "spec", "template", "spec"), "containers").get(0);
        Map<String, Object> apiKeys = list(container, "env").stream().filter(e -> "PWCHECK_AUTH_API_KEY_HASHES".equals(e.get("name"))).findFirst().orElseThrow();
        assertEquals("pwcheck-api-keys", map(apiKeys, "valueFrom", "secretKeyRef").get("name"));
        assertEquals("pwcheck", map(list(container, "envFrom").get(0), "configMapRef").get("name"));
        one(Manifests.base(), "ConfigMap", "pwcheck");
    }

    @Test
    void everyConfigMapSettingIsADocumentedKey() throws IOException {
        String readme = Files.readString(Path.of("docs", "configuration.md"));
        for (Path file : Manifests.files()) {
            for (Doc doc : Manifests.documents(file)) {
                if (doc.kind().equals("ConfigMap")) {
                    for (String env : map(doc.body(), "data").keySet()) {
                        String key = env.toLowerCase(Locale.ROOT).replace('_', '.');
                        // Env var names lose the dashes; compare with dots and dashes alike.
                        boolean documented = readme.lines().filter(l -> l.startsWith("| `"))
                                .map(l -> l.substring(3, l.indexOf('`', 3)).replace('-', '.'))
                                .anyMatch(key::equals);
                        assertTrue(documented, env + " (" + file.getFileName() + ") is a key docs/configuration.md documents");
                    }
                }
            }
        }
    }

    @Test
    void theGracePeriodCoversTheShutdownDelayAndTimeout() throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        long needed = Duration.parse("PT" + properties.getProperty("quarkus.shutdown.delay").toUpperCase(Locale.ROOT)).toSeconds()
                + Duration.parse("PT" + properties.getProperty("quarkus.shutdown.timeout").toUpperCase(Locale.ROOT)).toSeconds();
        int grace = (Integer) map(one(Manifests.base(), "Deployment", "pwcheck").body(), "spec", "template", "spec").get("terminationGracePeriodSeconds");
        assertTrue(grace > needed, "terminationGracePeriodSeconds " + grace + " > " + needed);
    }

    @Test
    void theServiceSelectsThePodsAndTheirHttpPort() throws IOException {
        List<Doc> base = Manifests.base();
        Map<String, Object> podLabels = map(one(base, "Deployment", "pwcheck").body(), "spec", "template", "metadata", "labels");
        Map<String, Object> service = map(one(base, "Service", "pwcheck").body(), "spec");
        assertTrue(podLabels.entrySet().containsAll(map(service, "selector").entrySet()));
        assertEquals("http", list(service, "ports").get(0).get("targetPort"));
        Map<String, Object> container = list(map(one(base, "Deployment", "pwcheck").body(), "spec", "template", "spec"), "containers").get(0);
        assertEquals(Map.of("name", "http", "containerPort", 8080, "protocol", "TCP"), list(container, "ports").get(0));
        assertEquals(Map.of("name", "management", "containerPort", 9000, "protocol", "TCP"), list(container, "ports").get(1));
    }

    @Test
    void theAutoscalerAndDisruptionBudgetKeepTwoReplicasAndOneAvailable() throws IOException {
        List<Doc> base = Manifests.base();
        Map<String, Object> hpa = map(one(base, "HorizontalPodAutoscaler", "pwcheck").body(), "spec");
        assertEquals("autoscaling/v2", one(base, "HorizontalPodAutoscaler", "pwcheck").body().get("apiVersion"));
        assertTrue((Integer) hpa.get("minReplicas") >= 2);
        assertTrue((Integer) hpa.get("maxReplicas") > (Integer) hpa.get("minReplicas"));
        assertEquals("pwcheck", map(hpa, "scaleTargetRef").get("name"));
        Map<String, Object> pdb = map(one(base, "PodDisruptionBudget", "pwcheck").body(), "spec");
        assertTrue((Integer) pdb.get("minAvailable") >= 1);
        Map<String, Object> podLabels = map(one(base, "Deployment", "pwcheck").body(), "spec", "template", "metadata", "labels");
        assertTrue(podLabels.entrySet().containsAll(map(pdb, "selector", "matchLabels").entrySet()));
    }

    @Test
    void metricsAreAnnotatedForScraping() throws IOException {
        Map<String, Object> annotations = map(one(Manifests.base(), "Deployment", "pwcheck").body(), "spec", "template", "metadata", "annotations");
        assertEquals(Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "9000", "prometheus.io/path", "/q/metrics"), annotations);
    }

    @Test
    void theApiPortAdmitsTheRegistryAndTheIngressControllerAndTheManagementPortOnlyPrometheus() throws IOException {
        Map<String, Object> policy = map(one(Manifests.base(), "NetworkPolicy", "pwcheck").body(), "spec");
        assertEquals(List.of("Ingress", "Egress"), policy.get("policyTypes"));
        List<Map<String, Object>> ingress = list(policy, "ingress");
        assertEquals(3, ingress.size());
        assertEquals(Map.of("app.kubernetes.io/part-of", "registry"), map(list(ingress.get(0), "from").get(0), "podSelector", "matchLabels"));
        assertEquals(Map.of("app.kubernetes.io/name", "ingress-nginx"), map(list(ingress.get(1), "from").get(0), "podSelector", "matchLabels"));
        assertEquals(Map.of("app.kubernetes.io/name", "prometheus"), map(list(ingress.get(2), "from").get(0), "podSelector", "matchLabels"));
        assertEquals(List.of(Map.of("port", 8080, "protocol", "TCP")), ingress.get(0).get("ports"));
        assertEquals(List.of(Map.of("port", 8080, "protocol", "TCP")), ingress.get(1).get("ports"));
        assertEquals(List.of(Map.of("port", 9000, "protocol", "TCP")), ingress.get(2).get("ports"));
    }

    @Test
    void egressIsOnlyDnsHttpsAndRedis() throws IOException {
        List<Map<String, Object>> egress = list(map(one(Manifests.base(), "NetworkPolicy", "pwcheck").body(), "spec"), "egress");
        Set<String> allowed = new HashSet<>();
        for (Map<String, Object> rule : egress) {
            assertFalse(list(rule, "to").isEmpty(), "every egress rule names its destination");
            for (Map<String, Object> port : list(rule, "ports")) {
                allowed.add(port.get("port") + "/" + port.get("protocol"));
            }
        }
        assertEquals(Set.of("53/UDP", "53/TCP", "443/TCP", "6379/TCP"), allowed);
        Map<String, Object> https = egress.stream().filter(r -> list(r, "ports").get(0).get("port").equals(443)).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        List<String> except = (List<String>) map(list(https, "to").get(0), "ipBlock").get("except");
        assertTrue(except.containsAll(List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")), "HTTPS egress never into private ranges");
        Map<String, Object> redisPolicy = map(one(Manifests.base(), "NetworkPolicy", "pwcheck-redis").body(), "spec");
        assertEquals(List.of(), redisPolicy.get("egress"), "redis reaches nothing");
    }

    @Test
    void theRedisTierIsPartOfTheBaseAndConfigured() throws IOException {
        List<Doc> base = Manifests.base();
        one(base, "Deployment", "pwcheck-redis");
        one(base, "Service", "pwcheck-redis");
        Map<String, Object> config = map(one(base, "ConfigMap", "pwcheck").body(), "data");
        assertEquals("redis", config.get("PWCHECK_CACHE_SHARED"));
        assertEquals("redis://pwcheck-redis:6379", config.get("QUARKUS_REDIS_HOSTS"));
    }

    @Test
    void theExampleOverlayBuildsOnTheBaseAndPatchesWhatExists() throws IOException {
        Map<String, Object> overlay = Manifests.documents(Manifests.ROOT.resolve("overlays/example/kustomization.yaml")).get(0).body();
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) overlay.get("resources");
        assertTrue(resources.contains("../../base"));
        for (String resource : resources) {
            assertTrue(Files.exists(Manifests.ROOT.resolve("overlays/example").resolve(resource)), resource);
        }
        assertEquals("pwcheck", list(overlay, "images").get(0).get("name"));
        List<Doc> base = Manifests.base();
        for (Map<String, Object> patch : list(overlay, "patches")) {
            if (patch.get("target") != null) {
                Map<String, Object> target = map(patch, "target");
                one(base, (String) target.get("kind"), (String) target.get("name"));
            } else {
                assertTrue(Files.exists(Manifests.ROOT.resolve("overlays/example").resolve((String) patch.get("path"))));
            }
        }
    }
}
