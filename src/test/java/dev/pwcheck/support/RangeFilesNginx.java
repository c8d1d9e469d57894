package dev.pwcheck.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A real upstream: Debian's nginx serving HIBP-style range files from disk on a free loopback port, the way an
 * operator's own mirror (or a static copy made by HIBP's downloader) would serve them. Every range file holds 950
 * {@code SUFFIX:COUNT} lines joined by CRLF with no trailing newline, as the range API answers. nginx's own ETag,
 * 304, keep-alive limits, gzip, TLS and HTTP/2 are each one line of its configuration. Each request is logged as
 * {@code <connection serial> <protocol> <status> <content-encoding> <uri>}, so a test can count connections opened
 * and see what went over the wire.
 */
public final class RangeFilesNginx implements AutoCloseable {

    public static final int HASHES_PER_RANGE = 950;

    /** One request as nginx logged it. */
    public record Logged(long connection, String protocol, int status, String encoding, String uri) {
    }

    /** A corpus hash and its count, or (count 0) a hash in a served range that the corpus does not hold. */
    public record Known(String sha1, int count) {
    }

    private final Path dir;
    private final int port;
    private final boolean tls;
    private final Process process;

    private RangeFilesNginx(Path dir, int port, boolean tls, Process process) {
        this.dir = dir;
        this.port = port;
        this.tls = tls;
        this.process = process;
    }

    /** Options: nginx's defaults where null (1,000 requests and 75 s per keep-alive connection). */
    public record Options(Integer keepaliveRequests, String keepaliveTimeout, boolean tlsHttp2Gzip) {
        public static Options defaults() {
            return new Options(null, null, false);
        }
    }

    /** Writes {@code ranges} range files (prefixes 00000, 00001, …) and starts nginx over them. */
    public static RangeFilesNginx serve(int ranges, Options options) {
        String binary = LocalNginx.requireBinary();
        try {
            Path dir = Files.createTempDirectory("pwcheck-upstream-nginx");
            Path root = Files.createDirectories(dir.resolve("www").resolve("range"));
            for (int i = 0; i < ranges; i++) {
                Files.write(root.resolve(prefix(i)), rangeBody(i).getBytes(StandardCharsets.US_ASCII));
            }
            int port = Ports.free();
            String listen = "listen 127.0.0.1:" + port;
            String extra = "";
            if (options.tlsHttp2Gzip()) {
                TestCertificates certificates = TestCertificates.in(dir.resolve("tls"));
                listen += " ssl http2";
                extra = """
                        ssl_certificate %s;
                        ssl_certificate_key %s;
                        gzip on;
                        gzip_types text/plain;
                        gzip_min_length 1;
                        """.formatted(certificates.serverCertificate(), certificates.serverKey());
            }
            if (options.keepaliveRequests() != null) {
                extra += "keepalive_requests " + options.keepaliveRequests() + ";\n";
            }
            if (options.keepaliveTimeout() != null) {
                extra += "keepalive_timeout " + options.keepaliveTimeout() + ";\n";
            }
            String conf = """
                    daemon off;
                    master_process off;
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log warn;
                    events { worker_connections 1024; }
                    http {
                        log_format probe '$connection $server_protocol $status $sent_http_content_encoding $request_uri';
                        access_log %1$s/access.log probe;
                        client_body_temp_path %1$s/body;
                        proxy_temp_path %1$s/proxy;
                        fastcgi_temp_path %1$s/fastcgi;
                        uwsgi_temp_path %1$s/uwsgi;
                        scgi_temp_path %1$s/scgi;
                        default_type text/plain;
                        server {
                            %2$s;
                            root %1$s/www;
                            %3$s
                        }
                    }
                    """.formatted(dir, listen, extra);
            Files.writeString(dir.resolve("nginx.conf"), conf);
            Process process = new ProcessBuilder(List.of(binary, "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                    "-c", dir.resolve("nginx.conf").toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
            Ports.awaitListening(port, process, "nginx", dir.resolve("error.log").toString());
            return new RangeFilesNginx(dir, port, options.tlsHttp2Gzip(), process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start nginx", e);
        }
    }

    public static String prefix(int range) {
        return String.format(Locale.ROOT, "%05X", range);
    }

    /** The 950 lines of range {@code range}, drawn from a seed of its own so that every run serves the same bytes. */
    private static String rangeBody(int range) {
        Random random = new Random(range);
        StringBuilder body = new StringBuilder(HASHES_PER_RANGE * 42);
        Set<String> seen = new HashSet<>();
        List<String> suffixes = new ArrayList<>();
        while (suffixes.size() < HASHES_PER_RANGE) {
            String suffix = randomHex(random, 35);
            if (seen.add(suffix)) {
                suffixes.add(suffix);
            }
        }
        suffixes.sort(null);
        for (int i = 0; i < suffixes.size(); i++) {
            if (i > 0) {
                body.append("\r\n");
            }
            body.append(suffixes.get(i)).append(':').append(countOf(range, i));
        }
        return body.toString();
    }

    private static int countOf(int range, int line) {
        return 1 + (range * 7 + line * 13) % 5000;
    }

    private static String randomHex(Random random, int chars) {
        StringBuilder hex = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            hex.append("0123456789ABCDEF".charAt(random.nextInt(16)));
        }
        return hex.toString();
    }

    /** A hash the corpus holds in range {@code range}, with its count. */
    public static Known breached(int range) {
        String body = rangeBody(range);
        int line = (range * 31) % HASHES_PER_RANGE;
        String entry = body.split("\r\n")[line];
        return new Known(prefix(range) + entry.substring(0, 35), Integer.parseInt(entry.substring(36)));
    }

    /** A hash in range {@code range} that the corpus does not hold (all Fs never comes out of 35 random digits here). */
    public static Known absent(int range) {
        return new Known(prefix(range) + "F".repeat(35), 0);
    }

    public String url() {
        return (tls ? "https://localhost:" : "http://127.0.0.1:") + port;
    }

    /** The trust store (PKCS12, password {@link TestCertificates#PASSWORD}) holding the CA that signed the server's certificate. */
    public Path trustStore() {
        return dir.resolve("tls").resolve(TestCertificates.TRUST_STORE);
    }

    /** The file nginx serves for range {@code range}. */
    public Path rangeFile(int range) {
        return dir.resolve("www").resolve("range").resolve(prefix(range));
    }

    /** Rewrites one range file in place (nginx then sends a new ETag for it). */
    public void replace(int range, String body) {
        try {
            Path file = dir.resolve("www").resolve("range").resolve(prefix(range));
            Files.writeString(file, body, StandardCharsets.US_ASCII);
            // nginx's ETag is made of the modification time (seconds) and size: make sure both can tell.
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every request nginx has logged so far (it writes each line as the request ends). */
    public List<Logged> log() {
        try {
            Path log = dir.resolve("access.log");
            if (!Files.exists(log)) {
                return List.of();
            }
            return Files.readAllLines(log).stream().filter(l -> !l.isBlank()).map(l -> {
                String[] f = l.split(" ");
                return new Logged(Long.parseLong(f[0]), f[1], Integer.parseInt(f[2]), f[3], f[4]);
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (up to 10 s) until nginx has logged {@code requests} requests: it logs each once its answer is sent. */
    public List<Logged> awaitLogged(int requests) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<Logged> logged = log();
        while (logged.size() < requests && System.nanoTime() < until) {
            Thread.onSpinWait();
            logged = log();
        }
        return logged;
    }

    @Override
    public void close() {
        Ports.stop(process);
    }
}
