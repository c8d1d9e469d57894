package dev.pwcheck.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real nginx (Debian's package) on a free loopback port, as an appending reverse proxy in front of the service:
 * {@code proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for}, the setting most ingresses and load
 * balancers use, so whatever the client sent stays on the left and the address nginx saw is appended on the right.
 * One process, no daemon, every path in a temporary directory; closed after the test.
 */
public final class LocalNginx implements AutoCloseable {

    public static final String BINARY = findBinary();

    private final int port;
    private final Process process;

    private LocalNginx(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** The nginx binary; a test that needs it fails (never skips) where it is missing, naming what installs it. */
    public static String requireBinary() {
        if (BINARY == null) {
            throw new AssertionError("nginx is not installed: run bin/test, which installs it (Debian: apt-get install nginx)");
        }
        return BINARY;
    }

    public static LocalNginx proxyTo(int backendPort) {
        try {
            Path dir = Files.createTempDirectory("pwcheck-nginx");
            int port = Ports.free();
            String conf = """
                    daemon off;
                    master_process off;
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log warn;
                    events { worker_connections 256; }
                    http {
                        access_log off;
                        client_body_temp_path %1$s/body;
                        proxy_temp_path %1$s/proxy;
                        fastcgi_temp_path %1$s/fastcgi;
                        uwsgi_temp_path %1$s/uwsgi;
                        scgi_temp_path %1$s/scgi;
                        server {
                            listen 127.0.0.1:%2$d;
                            location / {
                                proxy_pass http://127.0.0.1:%3$d;
                                proxy_set_header Host $host;
                                proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                            }
                        }
                    }
                    """.formatted(dir, port, backendPort);
            Files.writeString(dir.resolve("nginx.conf"), conf);
            Process process = new ProcessBuilder(List.of(requireBinary(), "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                    "-c", dir.resolve("nginx.conf").toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
            Ports.awaitListening(port, process, "nginx", dir.resolve("error.log").toString());
            return new LocalNginx(port, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start nginx", e);
        }
    }

    public URL url() {
        try {
            return new URL("http://127.0.0.1:" + port + "/");
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        Ports.stop(process);
    }

    private static String findBinary() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }
}
