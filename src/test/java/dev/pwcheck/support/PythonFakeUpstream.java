package dev.pwcheck.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The bundled fake upstream, {@code bench/fake_upstream.py}, with {@code bench/sample-passwords.txt}: exactly what
 * {@code bench/try-offline.sh} gives a newcomer, so a test on it proves what they will see. Needs python3.
 */
public class PythonFakeUpstream implements QuarkusTestResourceLifecycleManager {

    private Process process;

    @Override
    public Map<String, String> start() {
        int port = Ports.free();
        try {
            process = new ProcessBuilder(List.of("python3", "bench/fake_upstream.py", "--port", String.valueOf(port),
                    "--passwords", "bench/sample-passwords.txt"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/fake-upstream.log"))).start();
        } catch (IOException e) {
            throw new AssertionError("python3 is not installed: run bin/test, which installs it (Debian: apt-get install python3)", e);
        }
        Ports.awaitListening(port, process, "bench/fake_upstream.py", "target/fake-upstream.log");
        return Map.of("pwcheck.upstream.url", "http://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        Ports.stop(process);
    }
}
