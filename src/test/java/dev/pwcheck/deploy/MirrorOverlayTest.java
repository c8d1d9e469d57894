package dev.pwcheck.deploy;

import dev.pwcheck.deploy.Manifests.Doc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.pwcheck.deploy.Manifests.list;
import static dev.pwcheck.deploy.Manifests.map;
import static dev.pwcheck.deploy.Manifests.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * k8s/overlays/mirror as the cluster would receive it ({@code kubectl kustomize}): one CronJob writes the store with
 * {@code mirror sync} into a ReadWriteMany claim, and every replica reads that claim, read-only, as its mirror.
 */
class MirrorOverlayTest {

    static final String JOB = "pwcheck-mirror-sync";

    static List<Doc> rendered;
    static List<Doc> example;

    @BeforeAll
    static void render() throws Exception {
        rendered = Manifests.render("overlays/mirror");
        example = Manifests.render("overlays/example");
    }

    private static Map<String, Object> jobPod() {
        return map(one(rendered, "CronJob", JOB).body(), "spec", "jobTemplate", "spec", "template", "spec");
    }

    private static Map<String, Object> jobContainer() {
        List<Map<String, Object>> containers = list(jobPod(), "containers");
        assertEquals(1, containers.size(), "the job runs one container");
        return containers.get(0);
    }

    private static Map<String, Object> serverPod() {
        return map(one(rendered, "Deployment", "pwcheck").body(), "spec", "template", "spec");
    }

    private static Map<String, Object> serverContainer() {
        return list(serverPod(), "containers").stream().filter(c -> "pwcheck".equals(c.get("name"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<String> args() {
        return (List<String>) jobContainer().get("args");
    }

    /** The value after {@code option} in the job's arguments; fails when the option is missing or repeated. */
    private static String option(String option) {
        List<String> args = args();
        assertEquals(1, args.stream().filter(option::equals).count(), option + " given once in " + args);
        return args.get(args.indexOf(option) + 1);
    }

    /** The claim the pod's volume {@code volume} names, and whether the volume is read-only. */
    private static Map<String, Object> claimOf(Map<String, Object> pod, String volume) {
        Map<String, Object> found = list(pod, "volumes").stream().filter(v -> volume.equals(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + volume));
        return map(found, "persistentVolumeClaim");
    }

    /** The container's mount at {@code path}. */
    private static Map<String, Object> mountAt(Map<String, Object> container, String path) {
        return list(container, "volumeMounts").stream().filter(m -> path.equals(m.get("mountPath"))).findFirst()
                .orElseThrow(() -> new AssertionError(container.get("name") + " mounts nothing at " + path));
    }

    /** What the container sees for {@code name}: its own env entry, else the ConfigMap it takes whole. */
    private static String setting(Map<String, Object> container, String name) {
        if (container.get("env") != null) {
            for (Map<String, Object> env : list(container, "env")) {
                if (name.equals(env.get("name"))) {
                    return (String) env.get("value");
                }
            }
        }
        for (Map<String, Object> from : list(container, "envFrom")) {
            String configMap = (String) map(from, "configMapRef").get("name");
            Object value = map(one(rendered, "ConfigMap", configMap).body(), "data").get(name);
            if (value != null) {
                return (String) value;
            }
        }
        return null;
    }

    @Test
    void aCronJobRunsMirrorSyncAsAFilterByDefaultIntoTheMountedClaim() {
        List<String> args = args();
        assertEquals(List.of("mirror", "sync"), args.subList(0, 2), "the jar's mirror sync command, not the service");
        assertEquals("filter", option("--format"));
        assertEquals("1", option("--min-count"), "a hash below the filter's threshold would be answered clean in mirror-then-upstream");
        String dir = option("--dir");
        Map<String, Object> mount = mountAt(jobContainer(), dir);
        assertNotEquals(Boolean.TRUE, mount.get("readOnly"), "the job writes the store");
        Map<String, Object> claim = claimOf(jobPod(), (String) mount.get("name"));
        assertNotEquals(Boolean.TRUE, claim.get("readOnly"), "the job writes the store");
        assertEquals("pwcheck-mirror", claim.get("claimName"));
        assertFalse(args.contains("--upstream"), "the upstream comes from the replicas' ConfigMap, else HIBP");
        assertTrue(list(jobContainer(), "envFrom").stream().anyMatch(e -> "pwcheck".equals(map(e, "configMapRef").get("name"))),
                "the job reads PWCHECK_UPSTREAM_URL from the replicas' ConfigMap");
    }

    @Test
    void theJobRunsOnTheJvmWithTheDocumentedFlagFromTheReplicasRelease() {
        String options = setting(jobContainer(), "JAVA_OPTS_APPEND");
        assertNotNull(options, "the JVM image takes its flags from JAVA_OPTS_APPEND");
        assertTrue(List.of(options.split("\\s+")).contains("-XX:TieredStopAtLevel=1"), options);
        String job = (String) jobContainer().get("image");
        String server = (String) serverContainer().get("image");
        assertEquals(server.substring(0, server.lastIndexOf(':')), job.substring(0, job.lastIndexOf(':')), "the same repository");
        assertTrue(server.endsWith("-native"), server);
        assertEquals(server.substring(0, server.length() - "-native".length()) + "-jvm", job, "the JVM build of the replicas' release");
    }

    @Test
    void oneRunAtATimeWithADeadlineRetriesAndResources() {
        Map<String, Object> cron = map(one(rendered, "CronJob", JOB).body(), "spec");
        assertEquals("Forbid", cron.get("concurrencyPolicy"));
        assertNotNull(cron.get("startingDeadlineSeconds"));
        Map<String, Object> job = map(cron, "jobTemplate", "spec");
        int deadline = (Integer) job.get("activeDeadlineSeconds");
        assertTrue(deadline >= 2 * 3600, "a million requests against HIBP and the filter's build fit in " + deadline + " s");
        assertTrue(deadline < 7 * 24 * 3600, "a stuck run ends before the next week's");
        assertTrue((Integer) job.get("backoffLimit") >= 1, "a failed run is retried (it resumes from its journal)");
        assertEquals("Never", jobPod().get("restartPolicy"));
        for (String kind : List.of("requests", "limits")) {
            Map<String, Object> resources = map(jobContainer(), "resources", kind);
            assertNotNull(resources.get("cpu"), kind + ".cpu");
            assertNotNull(resources.get("memory"), kind + ".memory");
        }
        assertTrue(bytes((String) map(jobContainer(), "resources", "limits").get("memory")) >= 1L << 30, "room for a filter shard's build");
    }

    @Test
    void theJobPodIsLockedDownLikeTheReplicas() {
        Map<String, Object> pod = jobPod();
        assertEquals(Boolean.FALSE, pod.get("automountServiceAccountToken"));
        assertEquals(Boolean.TRUE, map(pod, "securityContext").get("runAsNonRoot"));
        assertEquals("RuntimeDefault", map(pod, "securityContext", "seccompProfile").get("type"));
        Map<String, Object> security = map(jobContainer(), "securityContext");
        assertEquals(Boolean.TRUE, security.get("runAsNonRoot"));
        assertEquals(Boolean.TRUE, security.get("readOnlyRootFilesystem"));
        assertEquals(Boolean.FALSE, security.get("allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), map(security, "capabilities").get("drop"));
        assertEquals("RuntimeDefault", map(security, "seccompProfile").get("type"));
        String tmp = (String) mountAt(jobContainer(), "/tmp").get("name");
        assertNotNull(list(pod, "volumes").stream().filter(v -> tmp.equals(v.get("name"))).findFirst().orElseThrow().get("emptyDir"),
                "/tmp is the JVM's only writable path besides the store");
    }

    @Test
    void theClaimIsReadWriteManyAndHoldsAFilterAndItsSourceThroughARefresh() {
        Map<String, Object> spec = map(one(rendered, "PersistentVolumeClaim", "pwcheck-mirror").body(), "spec");
        assertEquals(List.of("ReadWriteMany"), spec.get("accessModes"));
        long size = bytes((String) map(spec, "resources", "requests").get("storage"));
        // The filter (~4.3 GB) and its compact source (~13 GB), a second compact store and filter while a refresh
        // writes them: about 35 GB for today's corpus.
        assertTrue(size >= 35_000_000_000L, "claim of " + size + " bytes");
    }

    @Test
    void everyReplicaReadsTheSameClaimReadOnlyAtTheMirrorDirectory() {
        Map<String, Object> server = serverContainer();
        assertEquals("mirror-then-upstream", setting(server, "PWCHECK_SOURCE"));
        String dir = setting(server, "PWCHECK_MIRROR_DIR");
        assertNotNull(dir, "pwcheck.mirror.dir is set");
        Map<String, Object> mount = mountAt(server, dir);
        assertEquals(Boolean.TRUE, mount.get("readOnly"), "the replicas only read the store");
        Map<String, Object> claim = claimOf(serverPod(), (String) mount.get("name"));
        assertEquals(Boolean.TRUE, claim.get("readOnly"));
        String jobClaim = (String) claimOf(jobPod(), (String) mountAt(jobContainer(), option("--dir")).get("name")).get("claimName");
        assertEquals(jobClaim, claim.get("claimName"), "the replicas read what the job writes");
        assertEquals(dir, option("--dir"), "the same path in both, so the store's messages name one directory");
    }

    @Test
    void theStartupProbeAllowsForVerifyingAMultiGigabyteStoreAndTheOtherProbesAreTheExamples() {
        Map<String, Object> startup = map(serverContainer(), "startupProbe");
        assertEquals("/q/health/started", map(startup, "httpGet").get("path"));
        int window = (Integer) startup.get("periodSeconds") * (Integer) startup.get("failureThreshold");
        // A filter of ~4.3 GB read once at 50 MB/s is about 90 s; a compact store about 4.5 minutes.
        assertTrue(window >= 300, "startup window of " + window + " s");
        Map<String, Object> before = list(map(one(example, "Deployment", "pwcheck").body(), "spec", "template", "spec"), "containers").get(0);
        assertEquals(before.get("readinessProbe"), serverContainer().get("readinessProbe"));
        assertEquals(before.get("livenessProbe"), serverContainer().get("livenessProbe"));
        long memory = bytes((String) map(serverContainer(), "resources", "requests").get("memory"));
        assertTrue(memory >= 4_300_000_000L + (256L << 20), "the filter stays in the replica's page cache: " + memory);
    }

    @Test
    void theJobReachesOnlyDnsAndHttpsAndNothingReachesIt() {
        Map<String, Object> podLabels = map(one(rendered, "CronJob", JOB).body(), "spec", "jobTemplate", "spec", "template", "metadata", "labels");
        List<Doc> selecting = rendered.stream().filter(d -> d.kind().equals("NetworkPolicy"))
                .filter(d -> podLabels.entrySet().containsAll(map(d.body(), "spec", "podSelector", "matchLabels").entrySet())).toList();
        assertEquals(1, selecting.size(), "one policy selects the job's pods: " + selecting.stream().map(Doc::name).toList());
        Map<String, Object> policy = map(selecting.get(0).body(), "spec");
        assertEquals(List.of("Ingress", "Egress"), policy.get("policyTypes"));
        assertEquals(List.of(), policy.get("ingress"), "nothing reaches the job");
        Set<String> allowed = new HashSet<>();
        for (Map<String, Object> rule : list(policy, "egress")) {
            assertFalse(list(rule, "to").isEmpty(), "every egress rule names its destination");
            for (Map<String, Object> port : list(rule, "ports")) {
                allowed.add(port.get("port") + "/" + port.get("protocol"));
            }
        }
        assertEquals(Set.of("53/UDP", "53/TCP", "443/TCP"), allowed);
        Map<String, Object> https = list(policy, "egress").stream().filter(r -> list(r, "ports").get(0).get("port").equals(443)).findFirst().orElseThrow();
        Map<String, Object> block = map(list(https, "to").get(0), "ipBlock");
        assertEquals("0.0.0.0/0", block.get("cidr"), "the upstream is on the internet");
        @SuppressWarnings("unchecked")
        List<String> except = (List<String>) block.get("except");
        assertTrue(except.containsAll(List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")), "never into private ranges");
    }

    @Test
    void everythingElseIsTheExampleInstallation() {
        for (Doc doc : example) {
            if (doc.kind().equals("Deployment") && doc.name().equals("pwcheck") || doc.kind().equals("ConfigMap") && doc.name().equals("pwcheck")) {
                continue;
            }
            assertEquals(doc.body(), one(rendered, doc.kind(), doc.name()).body(), doc.kind() + " " + doc.name());
        }
        Map<String, Object> before = map(one(example, "ConfigMap", "pwcheck").body(), "data");
        Map<String, Object> after = map(one(rendered, "ConfigMap", "pwcheck").body(), "data");
        assertTrue(after.entrySet().containsAll(before.entrySet()), "the example's settings stay");
    }

    /** A Kubernetes quantity of bytes: 50Gi, 2G, 512Mi, 1000. */
    static long bytes(String quantity) {
        String[][] units = { { "Ki", "1024" }, { "Mi", "1048576" }, { "Gi", "1073741824" }, { "Ti", "1099511627776" },
                { "k", "1000" }, { "M", "1000000" }, { "G", "1000000000" }, { "T", "1000000000000" } };
        for (String[] unit : units) {
            if (quantity.endsWith(unit[0])) {
                return Long.parseLong(quantity.substring(0, quantity.length() - unit[0].length())) * Long.parseLong(unit[1]);
            }
        }
        return Long.parseLong(quantity);
    }
}
