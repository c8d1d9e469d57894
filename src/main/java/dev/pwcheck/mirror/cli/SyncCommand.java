package dev.pwcheck.mirror.cli;

import dev.pwcheck.mirror.Progress;
import dev.pwcheck.upstream.UpstreamTarget;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.mirror.sync.RangeSync;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Downloads every range from the upstream and writes DIR/<mode>.pwstore; rerun the same command to "
                + "resume. The upstream is --upstream, else pwcheck.upstream.url ($PWCHECK_UPSTREAM_URL, or its old name "
                + "$QUARKUS_REST_CLIENT_HIBP_URL), else https://api.pwnedpasswords.com.")
final class SyncCommand extends Subcommand {
    @CommandLine.Mixin
    StoreOptions store = new StoreOptions();

    @CommandLine.Mixin
    FormatOption format = new FormatOption();

    @Option(names = "--upstream", paramLabel = "URL", description = "Base URL of the range API.")
    URI upstream;

    @Option(names = "--concurrency", defaultValue = "32", paramLabel = "N", description = "Requests at a time, 1 to 1024 (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--retries", defaultValue = "10", paramLabel = "N", description = "Tries per range after the first, 1 to 1024 (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--timeout", defaultValue = "30s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time for one answer, body included, such as 30s or 500ms (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--only", defaultValue = "00000-FFFFF", paramLabel = "FIRST-LAST", converter = PrefixesConverter.class,
            description = "Sync these prefixes only (a partial store), such as 00000-0FFFF (default: all).")
    Prefixes only;

    @Override
    public Integer call() throws Exception {
        within(concurrency, "--concurrency");
        within(retries, "--retries");
        if (format.minCount < 1) {
            throw usage("--min-count must be at least 1");
        }
        RangeSync.Settings settings = new RangeSync.Settings(upstream(), store.mode, concurrency, retries, timeout,
                only.first(), only.last(), format.written());
        Progress progress = progress("ranges", only.last() - only.first() + 1L);
        // A filter is built from a compact store, kept beside it: the next sync resumes or refreshes that one.
        Path into = format.kind == StoreFormat.Kind.FILTER ? store.dir.resolve(".filter-source") : store.dir;
        out().println("Syncing " + store.mode.wire() + " ranges from " + settings.upstream() + " into " + into
                + " (" + format.written().wire() + ")");
        keepPrevious(store.store());
        RangeSync sync = new RangeSync(settings, progress, err());
        long start = System.nanoTime();
        Path written = sync.run(into);
        RangeSync.Summary summary = sync.summary();
        out().printf(Locale.ROOT, "Synced in %.1f s (fetching %.1f s, then finishing the store %.1f s): %s%,d bytes of range answers received%n",
                (System.nanoTime() - start) / 1e9, summary.fetching().toMillis() / 1e3, summary.writing().toMillis() / 1e3,
                summary.refresh() ? String.format(Locale.ROOT, "%,d ranges changed, %,d unchanged (304); ", summary.changed(), summary.unchanged()) : "",
                summary.wireBytes());
        if (format.kind == StoreFormat.Kind.FILTER) {
            buildFilter(written, store.store(), format.minCount, this);
            written = store.store();
        }
        describe(MirrorStore.open(written, true), out());
        return 0;
    }

    /**
     * --upstream as given (and the JVM's trust, as before), else the service's own keys ({@link UpstreamTarget}:
     * {@code PWCHECK_UPSTREAM_URL} or its old name, else HIBP), with the trust store set there for that upstream
     * (JKS or PKCS12: the JDK reads those) unless the JVM was given one.
     */
    private URI upstream() {
        if (upstream != null) {
            return withoutTrailingSlash(upstream.toString());
        }
        UpstreamTarget target;
        try {
            target = UpstreamTarget.fromEnvironment();
        } catch (RuntimeException e) {
            // A malformed or mistyped key (SmallRye says which): bad usage, not a stack trace.
            throw usage("the upstream's settings cannot be read: " + e.getMessage());
        }
        target.trust().ifPresent(this::trust);
        return withoutTrailingSlash(target.shown());
    }

    private static URI withoutTrailingSlash(String url) {
        return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    private void trust(UpstreamTarget.TrustStore store) {
        if (System.getProperty("javax.net.ssl.trustStore") != null) {
            return; // the operator's -Djavax.net.ssl.trustStore wins
        }
        String type;
        try {
            type = store.kind();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (store.onClassPath() || type.equals("PEM")) {
            throw usage("mirror sync reads pwcheck.upstream.trust-store as a JKS or PKCS12 file; make one from the PEM"
                    + " with keytool -importcert, or trust the CA with -Djavax.net.ssl.trustStore");
        }
        System.setProperty("javax.net.ssl.trustStore", store.path());
        System.setProperty("javax.net.ssl.trustStoreType", type);
        if (store.password() != null) {
            System.setProperty("javax.net.ssl.trustStorePassword", store.password());
        }
    }

    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                if (v.endsWith("s")) {
                    return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
                }
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 30s or 500ms");
        }
    }

    /** Prefixes from {@code first} to {@code last}, inclusive. */
    record Prefixes(int first, int last) {
    }

    /** {@code 00000-0FFFF} (inclusive) or a single prefix. */
    static final class PrefixesConverter implements CommandLine.ITypeConverter<Prefixes> {
        @Override
        public Prefixes convert(String spec) {
            String[] parts = spec.split("-", 2);
            try {
                int first = Integer.parseInt(parts[0].trim(), 16);
                int last = parts.length == 2 ? Integer.parseInt(parts[1].trim(), 16) : first;
                if (parts[0].trim().length() == 5 && (parts.length == 1 || parts[1].trim().length() == 5) && first <= last) {
                    return new Prefixes(first, last);
                }
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
            throw new CommandLine.TypeConversionException("'" + spec + "' is not a prefix range such as 00000-0FFFF");
        }
    }
}
