package dev.pwcheck.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link RangeFilesNginx} as the service's upstream. Init args: {@code ranges} (how many range files),
 * {@code keepalive-requests}, {@code keepalive-timeout} (nginx's defaults when absent) and {@code tls} ({@code true}:
 * TLS with HTTP/2 and gzip, the service trusting the test's own CA through the {@code pwcheck.upstream.trust-store*} keys).
 */
public class NginxUpstream implements QuarkusTestResourceLifecycleManager {

    private RangeFilesNginx nginx;
    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        args = initArgs;
    }

    @Override
    public Map<String, String> start() {
        boolean tls = Boolean.parseBoolean(args.getOrDefault("tls", "false"));
        String requests = args.get("keepalive-requests");
        nginx = RangeFilesNginx.serve(Integer.parseInt(args.getOrDefault("ranges", "1200")),
                new RangeFilesNginx.Options(requests == null ? null : Integer.valueOf(requests), args.get("keepalive-timeout"), tls));
        Map<String, String> config = new HashMap<>();
        config.put("pwcheck.upstream.url", nginx.url());
        if (tls) {
            config.put("pwcheck.upstream.trust-store", nginx.trustStore().toString());
            config.put("pwcheck.upstream.trust-store-password", TestCertificates.PASSWORD);
            config.put("pwcheck.upstream.trust-store-type", "PKCS12");
        }
        // These tests are about connections and answers, not timings: generous budgets so that a busy machine turns
        // nothing into a timeout, which would hide exactly the failures they look for.
        config.put("pwcheck.deadline", "30s");
        config.put("pwcheck.upstream.timeout", "20s");
        config.put("pwcheck.upstream.first-byte-timeout", "10s");
        config.put("pwcheck.upstream.read-timeout", "15000ms");
        config.put("pwcheck.upstream.connect-timeout", "5000ms");
        return config;
    }

    @Override
    public void stop() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(nginx, new TestInjector.AnnotatedAndMatchesType(InjectFakeUpstream.class, RangeFilesNginx.class));
    }
}
