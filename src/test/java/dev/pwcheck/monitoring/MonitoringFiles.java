package dev.pwcheck.monitoring;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The monitoring files under k8s/monitoring, read the way Prometheus and Grafana will read them. */
public final class MonitoringFiles {

    public static final Path DIR = Path.of("k8s", "monitoring").toAbsolutePath();

    /** A PromQL expression of the dashboard or the rules, and where it comes from. */
    public record Expression(String where, String expr) {
    }

    private MonitoringFiles() {
    }

    /** The PrometheusRule's rule groups, as a plain Prometheus rule file's top level ({@code groups: ...}). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> ruleFile() throws IOException {
        Map<String, Object> rule = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(DIR.resolve("prometheusrule.yaml")));
        return Map.of("groups", ((Map<String, Object>) rule.get("spec")).get("groups"));
    }

    /**
     * Writes the rule groups to {@code file}: without annotations when {@code withAnnotations} is false (promtool's unit
     * tests compare annotations too), and with every group evaluated every {@code interval} when it is not null.
     */
    @SuppressWarnings("unchecked")
    public static Path writeRules(Path file, boolean withAnnotations, String interval) throws IOException {
        Map<String, Object> rules = ruleFile();
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            Map<String, Object> copy = new LinkedHashMap<>(group);
            if (interval != null) {
                copy.put("interval", interval);
            }
            List<Map<String, Object>> kept = new ArrayList<>();
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                Map<String, Object> r = new LinkedHashMap<>(rule);
                if (!withAnnotations) {
                    r.remove("annotations");
                }
                kept.add(r);
            }
            copy.put("rules", kept);
            groups.add(copy);
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.createDirectories(file.getParent());
        Files.writeString(file, new Yaml(options).dump(Map.of("groups", groups)));
        return file;
    }

    /** Every rule's expression (recording rules and alerts). */
    @SuppressWarnings("unchecked")
    public static List<Expression> ruleExpressions() throws IOException {
        List<Expression> all = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) ruleFile().get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                String name = (String) (rule.containsKey("alert") ? rule.get("alert") : rule.get("record"));
                all.add(new Expression("rule " + name, ((String) rule.get("expr")).strip()));
            }
        }
        return all;
    }

    public static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(DIR.resolve("pwcheck-dashboard.json").toFile());
    }

    /** Every panel's query, with the dashboard's variables set as "all" and Grafana's ranges as given. */
    public static List<Expression> dashboardExpressions(String range, String rateInterval) throws IOException {
        List<Expression> all = new ArrayList<>();
        for (JsonNode panel : dashboard().get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.get("expr").asText()
                        .replace("$namespace", ".*").replace("$instance", ".*")
                        .replace("$__range", range).replace("$__rate_interval", rateInterval);
                all.add(new Expression("panel \"" + panel.get("title").asText() + "\" " + target.get("refId").asText(), expr));
            }
        }
        return all;
    }
}
