package dev.pwcheck.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A fake HIBP range API serving a {@link Corpus}, fast enough for a sync of thousands of ranges, counting every
 * request by prefix; answers can be scripted per request to fail the way a real upstream does.
 */
public final class CorpusUpstream implements AutoCloseable {

    static {
        // Without it, headers and body leave as two small packets and Nagle's algorithm meets delayed ACKs: 40 ms a request.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** A scripted answer: status and body, or null to serve the range. */
    public record Scripted(int status, String body, String retryAfter) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Map<String, String> ranges;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private volatile IntFunction<Scripted> script = attempt -> null;
    private volatile Map<String, IntFunction<Scripted>> scriptByPrefix = Map.of();
    private volatile long delayMillis;

    public CorpusUpstream(Corpus corpus) throws IOException {
        this.ranges = corpus.rangeTexts();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.createContext("/range/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Slows every answer down, so that a test can stop a sync half-way. */
    public void delay(long millis) {
        delayMillis = millis;
    }

    /** Scripts the answers for one prefix by attempt number (1 for its first request). */
    public void script(String prefix, IntFunction<Scripted> answers) {
        Map<String, IntFunction<Scripted>> copy = new ConcurrentHashMap<>(scriptByPrefix);
        copy.put(prefix, answers);
        scriptByPrefix = copy;
    }

    public int requestsFor(String prefix) {
        AtomicInteger count = requests.get(prefix);
        return count == null ? 0 : count.get();
    }

    public Map<String, AtomicInteger> requests() {
        return requests;
    }

    public int totalRequests() {
        return requests.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String prefix = exchange.getRequestURI().getPath().substring("/range/".length());
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int attempt = requests.computeIfAbsent(prefix, p -> new AtomicInteger()).incrementAndGet();
            IntFunction<Scripted> answers = scriptByPrefix.getOrDefault(prefix, script);
            Scripted scripted = answers.apply(attempt);
            if (scripted != null) {
                if (scripted.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", scripted.retryAfter());
                }
                send(exchange, scripted.status(), scripted.body());
                return;
            }
            String range = ranges.getOrDefault(prefix, "");
            // Padding as HIBP adds it: count-0 lines that must never reach a store.
            String padding = ("1".repeat(35).substring(0, suffixChars(exchange)) + ":0");
            send(exchange, 200, range.isEmpty() ? padding : range + "\r\n" + padding);
        }
    }

    private static int suffixChars(HttpExchange exchange) {
        String query = exchange.getRequestURI().getQuery();
        return query != null && query.contains("mode=ntlm") ? 27 : 35;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
