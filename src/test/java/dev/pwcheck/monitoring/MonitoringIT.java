package dev.pwcheck.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pwcheck.support.Hashes;
import dev.pwcheck.support.NodeScript;
import dev.pwcheck.support.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard and the rules against a real Prometheus (Debian's package) scraping the packaged service: a known
 * mix of checks is sent (breached in each flow, clean, unknown with the upstream failing, one from the mirror, and
 * browser requests past their rate limit), then every expression of the dashboard and of the rules is evaluated
 * through Prometheus's HTTP API. Each must parse, each dashboard panel must return data, and the breached-per-flow
 * panel must show exactly the breached checks sent. A screenshot of the main expressions graphed in Prometheus's own
 * UI is saved as target/monitoring/prometheus-graphs.png.
 */
class MonitoringIT {

    static final Path WORK = Path.of("target", "monitoring-it").toAbsolutePath();
    static final String KEY = "monitoring-it-caller-key-0123456789";
    /** Breached checks sent per flow ("none": no flow named); each flow uses its own password. */
    static final Map<String, Integer> BREACHED = new TreeMap<>(Map.of("login", 3, "registration", 2, "reset", 1, "api-key", 2, "none", 1));
    static final String MIRRORED = "held by the mirror store";
    /** The check without a flow is answered by the mirror store; the others by the upstream, then the cache. */
    static final Map<String, String> PASSWORDS = Map.of("login", "password", "registration", "123456", "reset", "qwerty", "api-key", "letmein", "none", MIRRORED);
    static final String CLEAN = "a passphrase nobody ever used";
    static final String UNKNOWN = "its range cannot be fetched";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private WireMockServer upstream;
    private Process service;
    private Process prometheus;

    @AfterEach
    void stop() {
        Ports.stop(prometheus);
        Ports.stop(service);
        if (upstream != null) {
            upstream.stop();
        }
    }

    @Test
    void everyDashboardPanelAndRuleEvaluatesAgainstTheLiveService() throws Exception {
        Files.createDirectories(WORK);
        startUpstream();
        int port = Ports.free();
        int management = Ports.free();
        startService(port, management);
        String prom = startPrometheus(management);
        // Every counter is scraped at zero before the first check, so the panels see each check's increase.
        awaitFirstScrape(prom);

        String base = "http://127.0.0.1:" + port;
        for (Map.Entry<String, Integer> flow : BREACHED.entrySet()) {
            for (int i = 0; i < flow.getValue(); i++) {
                HttpResponse<String> answer = send(base, PASSWORDS.get(flow.getKey()), flow.getKey().equals("none") ? null : flow.getKey());
                assertEquals("breached", json.readTree(answer.body()).get("verdict").asText(), flow.getKey());
                if (flow.getKey().equals("none")) {
                    assertEquals("mirror", answer.headers().firstValue("X-Pwcheck-Source").orElse(""));
                }
            }
        }
        for (int i = 0; i < 2; i++) {
            assertEquals("clean", json.readTree(send(base, CLEAN, "registration").body()).get("verdict").asText());
            assertEquals("unknown", json.readTree(send(base, UNKNOWN, "login").body()).get("verdict").asText());
        }
        int limited = 0;
        for (int i = 0; i < 5; i++) {
            limited += status(base + "/range/5BAA6") == 429 ? 1 : 0;
        }
        assertTrue(limited > 0, "browsers past their per-IP burst got 429");

        awaitTwoScrapesAndTheRecordingRules(prom, BREACHED.values().stream().mapToInt(Integer::intValue).sum());

        // Every expression must evaluate; every panel must show data (a panel's targets may split what it shows, e.g.
        // mirror and fallback loads where only a mirror is configured).
        List<String> failures = new ArrayList<>();
        Map<String, Boolean> panelHasData = new TreeMap<>();
        for (MonitoringFiles.Expression target : MonitoringFiles.dashboardExpressions("10m", "1m")) {
            JsonNode answer = query(prom, target.expr());
            String panel = target.where().substring(0, target.where().lastIndexOf(' '));
            panelHasData.merge(panel, !answer.path("data").path("result").isEmpty(), Boolean::logicalOr);
            if (!"success".equals(answer.path("status").asText())) {
                failures.add(target.where() + " does not evaluate: " + answer.path("error").asText());
            }
        }
        panelHasData.forEach((panel, data) -> {
            if (!data) {
                failures.add(panel + " returns no data");
            }
        });
        for (MonitoringFiles.Expression rule : MonitoringFiles.ruleExpressions()) {
            JsonNode answer = query(prom, rule.expr());
            if (!"success".equals(answer.path("status").asText())) {
                failures.add(rule.where() + " does not evaluate: " + answer.path("error").asText());
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(panelHasData.size() >= 15, "every panel was evaluated: " + panelHasData.keySet());

        MonitoringFiles.Expression caught = MonitoringFiles.dashboardExpressions("10m", "1m").get(0);
        assertTrue(caught.where().contains("Breached passwords caught in the selected range"), caught.where());
        Map<String, Integer> shown = new TreeMap<>();
        for (JsonNode series : query(prom, caught.expr()).path("data").path("result")) {
            shown.put(series.path("metric").path("flow").asText(), (int) Math.round(Double.parseDouble(series.path("value").get(1).asText())));
        }
        assertEquals(BREACHED, shown, "the panel shows exactly the breached checks sent, per flow");
        assertEquals(2.0 / 13, value(prom, "pwcheck:unknown_share:ratio_rate5m"), 0.02, "2 unknown of 13 checks");

        screenshot(prom);
    }

    private void startUpstream() {
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        for (String password : PASSWORDS.values()) {
            String hash = Hashes.sha1(password);
            upstream.stubFor(get(urlPathEqualTo("/range/" + Hashes.prefix(hash)))
                    .willReturn(aResponse().withStatus(200).withBody(Hashes.line(Hashes.suffix(hash), 1000))));
        }
        upstream.stubFor(get(urlPathEqualTo("/range/" + Hashes.prefix(Hashes.sha1(CLEAN))))
                .willReturn(aResponse().withStatus(200).withBody(Hashes.line("0".repeat(35), 3))));
        upstream.stubFor(get(urlPathEqualTo("/range/" + Hashes.prefix(Hashes.sha1(UNKNOWN)))).willReturn(aResponse().withStatus(503)));
    }

    private void startService(int port, int management) throws Exception {
        String jar = System.getProperty("pwcheck.jar");
        Path mirror = WORK.resolve("mirror");
        String hash = Hashes.sha1(MIRRORED);
        Path corpus = Files.writeString(WORK.resolve("corpus.txt"), hash + ":5\n");
        Process importer = new ProcessBuilder(java(), "-jar", jar, "mirror", "import", "--dir", mirror.toString(), "--from", corpus.toString(), "--partial")
                .redirectErrorStream(true).redirectOutput(WORK.resolve("import.log").toFile()).start();
        assertTrue(importer.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, importer.exitValue(), Files.readString(WORK.resolve("import.log")));

        ProcessBuilder builder = new ProcessBuilder(java(), "-jar", jar).redirectErrorStream(true).redirectOutput(WORK.resolve("service.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(management));
        env.put("PWCHECK_UPSTREAM_URL", upstream.baseUrl());
        env.put("PWCHECK_SOURCE", "mirror-then-upstream");
        env.put("PWCHECK_MIRROR_DIR", mirror.toString());
        env.put("PWCHECK_AUTH_API_KEY_HASHES", "registry:" + sha256(KEY));
        env.put("PWCHECK_RATE_LIMIT_PER_IP_RATE", "1");
        env.put("PWCHECK_RATE_LIMIT_PER_IP_BURST", "2");
        // Unknowns here are the upstream's 503s, not a slow first call on a busy machine.
        env.put("PWCHECK_UPSTREAM_READ_TIMEOUT", "8000ms");
        env.put("PWCHECK_UPSTREAM_FIRST_BYTE_TIMEOUT", "8s");
        env.put("PWCHECK_UPSTREAM_TIMEOUT", "9s");
        env.put("PWCHECK_DEADLINE", "10s");
        service = builder.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (status("http://127.0.0.1:" + management + "/q/health/ready") != 200) {
            assertTrue(service.isAlive(), () -> "the service stopped: " + read(WORK.resolve("service.log")));
            assertTrue(System.nanoTime() < until, () -> "the service did not get ready: " + read(WORK.resolve("service.log")));
            Thread.sleep(100);
        }
    }

    private String startPrometheus(int management) throws Exception {
        Path dir = WORK.resolve("prometheus");
        // The groups evaluate every second here (30 s in production) so the test need not wait for them.
        Path rules = MonitoringFiles.writeRules(dir.resolve("pwcheck-rules.yaml"), true, "1s");
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: pwcheck
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(rules, management));
        int port = Ports.free();
        String binary = Files.isExecutable(Path.of("/usr/bin/prometheus")) ? "/usr/bin/prometheus" : "prometheus";
        try {
            prometheus = new ProcessBuilder(binary, "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port, "--web.console.templates=/usr/share/prometheus/web/templates")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("prometheus is not installed: run bin/test, which installs it (Debian: apt-get install prometheus)", e);
        }
        Ports.awaitListening(port, prometheus, "prometheus", dir.resolve("prometheus.log").toString());
        return "http://127.0.0.1:" + port;
    }

    private void awaitFirstScrape(String prom) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (value(prom, "max(up{job=\"pwcheck\"})") < 1 || value(prom, "count(pwcheck_checks_total)") < 1) {
            assertTrue(System.nanoTime() < until, "Prometheus never scraped the service");
            Thread.sleep(200);
        }
    }

    /**
     * Waits (bounded, far above the one-second scrape) until Prometheus holds every breached check, then until two
     * more scrapes and a recording-rule evaluation have happened.
     */
    private void awaitTwoScrapesAndTheRecordingRules(String prom, int breached) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (value(prom, "sum(pwcheck_checks_total{verdict=\"breached\"})") < breached) {
            assertTrue(System.nanoTime() < until, "Prometheus never scraped the checks");
            Thread.sleep(200);
        }
        double seen = value(prom, "max(timestamp(up{job=\"pwcheck\"}))");
        while (value(prom, "max(timestamp(up{job=\"pwcheck\"}))") < seen + 2
                || query(prom, "pwcheck:checks:rate5m").path("data").path("result").isEmpty()) {
            assertTrue(System.nanoTime() < until, "no two further scrapes and rule evaluations");
            Thread.sleep(200);
        }
    }

    private double value(String prom, String expr) throws Exception {
        JsonNode result = query(prom, expr).path("data").path("result");
        return result.isEmpty() ? Double.NEGATIVE_INFINITY : Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    private JsonNode query(String prom, String expr) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(prom + "/api/v1/query?query="
                + URLEncoder.encode(expr, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        // 503 "Service Unavailable" (plain text) until its storage is ready; 400 and 422 carry the parse error as JSON.
        return answer.statusCode() == 503 ? json.createObjectNode().put("status", "unavailable") : json.readTree(answer.body());
    }

    private HttpResponse<String> send(String base, String password, String flow) throws Exception {
        String body = json.writeValueAsString(flow == null ? Map.of("password", password) : Map.of("password", password, "flow", flow));
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/passwords/check"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + KEY)
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return answer;
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private void screenshot(String prom) throws Exception {
        List<String> main = List.of(
                MonitoringFiles.dashboardExpressions("10m", "1m").get(0).expr(),
                "sum by (flow, verdict) (rate(pwcheck_checks_total[1m]))",
                "pwcheck:unknown_share:ratio_rate5m",
                "sum by (source) (rate(pwcheck_check_sources_total[1m]))",
                "pwcheck:check_latency_seconds:p99_5m");
        Path out = Path.of("target", "monitoring", "prometheus-graphs.png").toAbsolutePath();
        NodeScript.Result run = NodeScript.run("prometheus-graph.e2e.mjs",
                Map.of("PROMETHEUS_URL", prom, "EXPRESSIONS", json.writeValueAsString(main), "OUT_FILE", out.toString()));
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(Files.size(out) > 10_000, "a real screenshot");
    }

    private static String sha256(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }
}
