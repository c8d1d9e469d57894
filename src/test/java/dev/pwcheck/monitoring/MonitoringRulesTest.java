package dev.pwcheck.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alert and recording rules under the real promtool (Debian's prometheus package): they load, and each alert
 * fires and stays silent as k8s/monitoring/rules-test.yaml says it must. Plus the dashboard's own consistency.
 */
class MonitoringRulesTest {

    static final Path WORK = Path.of("target", "monitoring").toAbsolutePath();

    static String promtool(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("promtool is not installed: run bin/test, which installs it (Debian: apt-get install prometheus)", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
        return output;
    }

    @Test
    void theRulesPassPromtoolsCheckWithTheirAnnotations() throws Exception {
        Path rules = MonitoringFiles.writeRules(WORK.resolve("check").resolve("pwcheck-rules.yaml"), true, null);

        String output = promtool(rules.getParent(), "check", "rules", rules.toString());
        assertTrue(output.contains("SUCCESS: " + MonitoringFiles.ruleExpressions().size() + " rules found"), output);
    }

    @Test
    void everyAlertFiresAndStaysSilentOnItsSyntheticSeries() throws Exception {
        Path dir = WORK.resolve("unit");
        MonitoringFiles.writeRules(dir.resolve("pwcheck-rules.yaml"), false, null);
        Files.copy(MonitoringFiles.DIR.resolve("rules-test.yaml"), dir.resolve("rules-test.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        String output = promtool(dir, "test", "rules", "rules-test.yaml");
        assertTrue(output.contains("SUCCESS"), output);
    }

    /**
     * Each alert has a case that fires it and one in which it stays silent: a case expecting no alert, or one whose
     * series belong to more sources (instance, namespace, caller, mode) than it expects alerts for.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyAlertHasAFiringAndASilentUnitTest() throws Exception {
        Map<String, Object> file = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(MonitoringFiles.DIR.resolve("rules-test.yaml")));
        Set<String> fires = new HashSet<>();
        Set<String> silent = new HashSet<>();
        Pattern source = Pattern.compile("(namespace|instance|caller|mode)=\"([^\"]*)\"");
        for (Map<String, Object> test : (List<Map<String, Object>>) file.get("tests")) {
            Set<String> sources = new HashSet<>();
            for (Map<String, Object> series : (List<Map<String, Object>>) test.get("input_series")) {
                Matcher m = source.matcher((String) series.get("series"));
                StringBuilder key = new StringBuilder();
                while (m.find()) {
                    key.append(m.group()).append(',');
                }
                sources.add(key.toString());
            }
            for (Map<String, Object> check : (List<Map<String, Object>>) test.get("alert_rule_test")) {
                String alert = (String) check.get("alertname");
                int expected = ((List<Object>) check.get("exp_alerts")).size();
                if (expected > 0) {
                    fires.add(alert);
                }
                if (expected < sources.size()) {
                    silent.add(alert);
                }
            }
        }
        for (MonitoringFiles.Expression rule : MonitoringFiles.ruleExpressions()) {
            String name = rule.where().substring("rule ".length());
            if (!name.startsWith("pwcheck:")) {
                assertTrue(fires.contains(name), name + " has a test in which it fires");
                assertTrue(silent.contains(name), name + " has a test in which it stays silent");
            }
        }
    }

    @Test
    void theDashboardHasItsVariablesAndEveryPanelAQuery() throws Exception {
        JsonNode dashboard = MonitoringFiles.dashboard();
        Set<String> variables = new HashSet<>();
        dashboard.get("templating").get("list").forEach(v -> variables.add(v.get("name").asText()));
        assertEquals(Set.of("datasource", "namespace", "instance"), variables);
        for (JsonNode panel : dashboard.get("panels")) {
            if (!panel.get("type").asText().equals("row")) {
                assertTrue(panel.path("targets").size() > 0, panel.get("title").asText());
            }
        }
        assertTrue(MonitoringFiles.dashboardExpressions("1h", "1m").size() >= 15);
    }
}
