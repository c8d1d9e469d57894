package dev.pwcheck.mirror;

import dev.pwcheck.range.HashMode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code java -jar quarkus-run.jar mirror <sync|import|verify> ...}: builds and checks the offline mirror. Runs
 * without starting the service (no HTTP port, no Quarkus runtime), so it can run beside a live replica that
 * picks the new store up when it lands.
 */
public final class MirrorCommand {

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage:",
            "  mirror sync   --dir DIR [--mode sha1|ntlm] [--upstream URL] [--concurrency 32] [--retries 10] [--timeout 30s] [--only 00000-FFFFF]",
            "  mirror import --dir DIR --from FILE|DIR [--mode sha1|ntlm] [--partial]",
            "  mirror verify --dir DIR [--mode sha1|ntlm]",
            "",
            "sync    downloads every range from the upstream (default: $QUARKUS_REST_CLIENT_HIBP_URL, else",
            "        https://api.pwnedpasswords.com) and writes DIR/<mode>.pwstore; rerun it to resume.",
            "import  builds the same store from HIBP downloader output: one sorted HASH:COUNT file, or a",
            "        directory of PREFIX.txt range files. --partial accepts input that lacks some ranges.",
            "verify  checks a store's layout and checksums and prints what it holds.");

    private static final Set<String> FLAGS = Set.of("partial");

    private MirrorCommand() {
    }

    /** @return the process exit status: 0 done, 1 failed, 2 bad usage */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Map<String, String> options;
        try {
            options = options(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            Path dir = Path.of(required(options, "dir"));
            HashMode mode = HashMode.fromWire(options.getOrDefault("mode", "sha1"))
                    .orElseThrow(() -> new IllegalArgumentException("--mode must be sha1 or ntlm"));
            boolean terminal = System.console() != null;
            switch (args[0]) {
                case "sync" -> {
                    int[] only = prefixes(options.getOrDefault("only", "00000-FFFFF"));
                    RangeSync.Settings settings = new RangeSync.Settings(upstream(options), mode,
                            positive(options.getOrDefault("concurrency", "32"), "--concurrency"),
                            positive(options.getOrDefault("retries", "10"), "--retries"),
                            duration(options.getOrDefault("timeout", "30s")),
                            only[0], only[1]);
                    Progress progress = new Progress("ranges", only[1] - only[0] + 1L, err, terminal);
                    out.println("Syncing " + mode.wire() + " ranges from " + settings.upstream() + " into " + dir);
                    Path store = new RangeSync(settings, progress, err).run(dir);
                    describe(MirrorStore.open(store, true), out);
                }
                case "import" -> {
                    Path from = Path.of(required(options, "from"));
                    Progress progress = new Progress("ranges", StoreFormat.PREFIXES, err, terminal);
                    long start = System.nanoTime();
                    Path store = new CorpusImport(mode, options.containsKey("partial"), progress)
                            .run(from, dir.resolve(StoreFormat.fileName(mode)));
                    out.printf(Locale.ROOT, "Imported %s in %.1f s%n", from, (System.nanoTime() - start) / 1e9);
                    describe(MirrorStore.open(store, true), out);
                }
                case "verify" -> describe(MirrorStore.open(dir.resolve(StoreFormat.fileName(mode)), true), out);
                default -> throw new IllegalArgumentException("unknown mirror command: " + args[0]);
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (StoreException | IOException e) {
            err.println("mirror " + args[0] + " failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("mirror " + args[0] + " interrupted");
            return 1;
        }
    }

    static void describe(MirrorStore store, PrintStream out) {
        long bytes = store.file().toFile().length();
        out.printf(Locale.ROOT, "%s: %s corpus, %,d hashes in %,d of %,d ranges, %,d bytes (%.2f bytes a hash), checksums OK%n",
                store.file(), store.mode().wire(), store.hashes(), store.presentRanges(), StoreFormat.PREFIXES, bytes,
                store.hashes() == 0 ? 0.0 : (double) bytes / store.hashes());
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + args[i]);
            }
            String name = args[i].substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                options.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (FLAGS.contains(name)) {
                options.put(name, "true");
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static URI upstream(Map<String, String> options) {
        String url = options.get("upstream");
        if (url == null) {
            url = System.getenv().getOrDefault("QUARKUS_REST_CLIENT_HIBP_URL", "https://api.pwnedpasswords.com");
        }
        return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    private static int positive(String value, String name) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 1024) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException(name + " must be a whole number from 1 to 1024");
    }

    private static Duration duration(String value) {
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
        throw new IllegalArgumentException("--timeout takes a duration such as 30s or 500ms");
    }

    /** {@code 00000-0FFFF} (inclusive) or a single prefix. */
    private static int[] prefixes(String spec) {
        String[] parts = spec.split("-", 2);
        try {
            int first = Integer.parseInt(parts[0].trim(), 16);
            int last = parts.length == 2 ? Integer.parseInt(parts[1].trim(), 16) : first;
            if (parts[0].trim().length() == 5 && (parts.length == 1 || parts[1].trim().length() == 5) && first <= last) {
                return new int[] { first, last };
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("--only takes a prefix range such as 00000-0FFFF");
    }
}
