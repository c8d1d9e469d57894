package dev.pwcheck.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A real {@code redis-server} on a free loopback port, started for the test and stopped after it, with nothing
 * persisted. Needs the binary on PATH (Debian: {@code apt-get install redis-server}); without it the tests fail
 * loudly instead of skipping. Tests can stop and restart it to play a Redis outage. It requires a password, as
 * the Kubernetes manifests' Redis does, so the tests prove the service authenticates.
 */
public class LocalRedis implements QuarkusTestResourceLifecycleManager {

    private int port;
    private Process process;
    // As in the Kubernetes manifests: the shared tier always needs a password, which the service sends as
    // quarkus.redis.password.
    private final String password = java.util.UUID.randomUUID().toString();

    @Override
    public Map<String, String> start() {
        port = Ports.free();
        startServer();
        return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + port, "quarkus.redis.password", password);
    }

    public synchronized void startServer() {
        List<String> command = List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning", "--requirepass", password);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/redis-test.log"))).start();
        } catch (IOException e) {
            throw new AssertionError("redis-server is not installed: run bin/test, which installs it (Debian: apt-get install redis-server)", e);
        }
        Ports.awaitListening(port, process, "redis-server", "target/redis-test.log");
    }

    public synchronized void stopServer() {
        Ports.stop(process);
        process = null;
    }

    @Override
    public void stop() {
        stopServer();
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(InjectLocalRedis.class, LocalRedis.class));
    }
}
