package dev.pwcheck.mirror.cli;

import dev.pwcheck.mirror.Progress;
import dev.pwcheck.mirror.corpus.CorpusImport;
import dev.pwcheck.mirror.corpus.StoreExport;
import dev.pwcheck.mirror.corpus.TopHashes;
import dev.pwcheck.mirror.store.FilterWriter;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreException;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.mirror.sync.RangeSync;
import dev.pwcheck.range.HashMode;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code java -jar quarkus-run.jar mirror <sync|import|export|top|verify> ...}: builds, checks and exports the offline
 * mirror. Runs without starting the service (no HTTP port, no Quarkus runtime), so it can run beside a live replica
 * that picks the new store up when it lands. Exit status: 0 done, 1 failed (the message says why), 2 bad usage
 * (an unknown option, a missing or malformed value: one line saying which, then the command's usage).
 */
@Command(name = "mirror", mixinStandardHelpOptions = true, version = "pwcheck mirror 1.0",
        description = "Builds, checks and exports the offline copy of the Pwned Passwords corpus the service can answer from.",
        subcommands = { MirrorCommand.Sync.class, MirrorCommand.Import.class, MirrorCommand.Export.class, MirrorCommand.Top.class,
                MirrorCommand.Verify.class },
        footer = { "", "Exit status: 0 done, 1 failed, 2 bad usage. 'mirror COMMAND --help' describes each command." })
public final class MirrorCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Where the commands write: results to {@code out}, progress and errors to {@code err}. */
    private final PrintStream out;
    private final PrintStream err;

    private MirrorCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** @return the process exit status: 0 done, 1 failed, 2 bad usage */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new MirrorCommand(out, err))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((failure, command, parsed) -> {
            if (failure instanceof ParameterException usage) {
                throw usage; // picocli prints it with the usage and exits 2
            }
            String name = command.getCommandName();
            if (failure instanceof StoreException || failure instanceof IOException || failure instanceof java.io.UncheckedIOException) {
                command.getErr().println("mirror " + name + " failed: " + failure.getMessage());
                return 1;
            }
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                command.getErr().println("mirror " + name + " interrupted");
                return 1;
            }
            throw failure;
        });
        return cli.execute(args);
    }

    /** {@code mirror} alone: the overview, and bad usage (a command is needed). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /** What every subcommand shares: where it writes, its progress line, and how it reports bad usage. */
    @Command
    abstract static class Subcommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.ParentCommand
        MirrorCommand parent;

        PrintStream out() {
            return parent.out;
        }

        PrintStream err() {
            return parent.err;
        }

        /** Progress on stderr: a redrawn line on a terminal, a line every few seconds in a log. */
        Progress progress(String unit, long total) {
            return new Progress(unit, total, parent.err, System.console() != null);
        }

        /** Bad usage (exit 2, the message and the command's usage), for a value its type alone does not rule out. */
        ParameterException usage(String message) {
            return new ParameterException(spec.commandLine(), message);
        }

        void within(int value, String name) {
            if (value < 1 || value > 1024) {
                throw usage(name + " must be a whole number from 1 to 1024");
            }
        }
    }

    /** Options every command that reads or writes a store takes. */
    static final class StoreOptions {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The store directory (holds sha1.pwstore, ntlm.pwstore).")
        Path dir;

        @Option(names = "--mode", defaultValue = "sha1", paramLabel = "sha1|ntlm", description = "The corpus: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
                converter = ModeConverter.class, completionCandidates = Modes.class)
        HashMode mode;

        Path store() {
            return dir.resolve(StoreFormat.fileName(mode));
        }
    }

    /** {@code --format full|compact} for the commands that write a store from the corpus. */
    static final class FormatOption {
        @Option(names = "--format", defaultValue = "full", paramLabel = "full|compact|filter", converter = KindConverter.class,
                description = "full: whole hashes, ~19 bytes a hash, also serves /range. compact: the first 64 bits of each hash,"
                        + " ~7 bytes a hash; a clean password is reported breached with probability about 1e-10 a check."
                        + " filter: a binary fuse filter, ~2.3 bytes a hash, no counts; a miss is certain, a hit is wrong about"
                        + " once in 65,536 (built from a compact store, which sync keeps in DIR/.filter-source) (default: ${DEFAULT-VALUE}).")
        StoreFormat.Kind kind;

        @Option(names = "--min-count", defaultValue = "1", paramLabel = "N",
                description = "With --format filter: only hashes seen at least N times go in; a hit then answers N, a lower bound"
                        + " (default: ${DEFAULT-VALUE}).")
        int minCount;

        /** The kind the corpus is written as first: a filter is built from a compact store. */
        StoreFormat.Kind written() {
            return kind == StoreFormat.Kind.FILTER ? StoreFormat.Kind.COMPACT : kind;
        }
    }

    /** Builds the filter {@code target} from the compact store {@code source}, and says what it built. */
    static void buildFilter(Path source, Path target, int minCount, Subcommand command) {
        MirrorStore compact = MirrorStore.open(source, true);
        FilterWriter.Summary summary = new FilterWriter(minCount, command.progress("ranges", StoreFormat.PREFIXES)).write(compact, target);
        command.out().printf(Locale.ROOT, "Filter built in %.1f s: %,d hashes seen at least %d times, %d shards, %,d bytes (%.2f bytes a hash)%n",
                summary.buildMillis() / 1e3, summary.keys(), minCount, summary.shards(), summary.bytes(),
                summary.keys() == 0 ? 0.0 : (double) summary.bytes() / summary.keys());
    }

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = "Downloads every range from the upstream and writes DIR/<mode>.pwstore; rerun the same command to "
                    + "resume. The upstream is --upstream, else $QUARKUS_REST_CLIENT_HIBP_URL, else "
                    + "https://api.pwnedpasswords.com.")
    static final class Sync extends Subcommand {
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

        private URI upstream() {
            String url = upstream != null ? upstream.toString()
                    : System.getenv().getOrDefault("QUARKUS_REST_CLIENT_HIBP_URL", "https://api.pwnedpasswords.com");
            return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Builds DIR/<mode>.pwstore from what HIBP's downloader wrote: one sorted HASH:COUNT file (byte order "
                    + "marks, LF or CRLF as the downloader writes them on any platform), or a directory of PREFIX.txt range"
                    + " files.")
    static final class Import extends Subcommand {
        @CommandLine.Mixin
        StoreOptions store = new StoreOptions();

        @CommandLine.Mixin
        FormatOption format = new FormatOption();

        @Option(names = "--from", required = true, paramLabel = "FILE|DIR", description = "The downloader's output.")
        Path from;

        @Option(names = "--partial", description = "Accept input that lacks some ranges (the store answers for the ranges it holds).")
        boolean partial;

        @Override
        public Integer call() throws Exception {
            if (format.minCount < 1) {
                throw usage("--min-count must be at least 1");
            }
            if (format.kind == StoreFormat.Kind.FILTER && partial) {
                throw usage("--partial does not go with --format filter: a filter answers for the whole corpus");
            }
            Progress progress = progress("ranges", StoreFormat.PREFIXES);
            long start = System.nanoTime();
            CorpusImport run = new CorpusImport(store.mode, format.written(), partial, progress);
            boolean filter = format.kind == StoreFormat.Kind.FILTER;
            Path target = store.store();
            Path compact = filter ? target.resolveSibling("." + target.getFileName() + ".filter-source-" + ProcessHandle.current().pid()) : target;
            try {
                Path written = run.run(from, compact);
                out().printf(Locale.ROOT, "Imported %s in %.1f s (%s)%n", from, (System.nanoTime() - start) / 1e9, format.written().wire());
                if (format.written() == StoreFormat.Kind.COMPACT) {
                    out().printf(Locale.ROOT, "Hashes merged because their first 64 bits matched: %,d%n", run.merged());
                }
                if (filter) {
                    buildFilter(written, target, format.minCount, this);
                    written = target;
                }
                describe(MirrorStore.open(written, true), out());
            } finally {
                if (filter) {
                    java.nio.file.Files.deleteIfExists(compact);
                }
            }
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Writes a full store back out in the downloader's text format (no byte order mark), for other tools: "
                    + "one sorted HASH:COUNT file (--to), or a directory of PREFIX.txt range files (--to-ranges).")
    static final class Export extends Subcommand {
        @CommandLine.Mixin
        StoreOptions store = new StoreOptions();

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        static final class Target {
            @Option(names = "--to", paramLabel = "FILE", description = "One file of PREFIXSUFFIX:COUNT lines.")
            Path file;

            @Option(names = "--to-ranges", paramLabel = "DIR", description = "A new or empty directory for PREFIX.txt files of SUFFIX:COUNT lines.")
            Path ranges;
        }

        @Override
        public Integer call() throws Exception {
            MirrorStore source = MirrorStore.open(store.store(), true);
            StoreExport export = new StoreExport(source, progress("ranges", StoreFormat.PREFIXES));
            if (target.file != null) {
                export.toFile(target.file);
            } else {
                export.toRanges(target.ranges);
            }
            out().printf(Locale.ROOT, "Exported %,d %s hashes to %s%n", source.hashes(), source.mode().wire(),
                    target.file != null ? target.file : target.ranges);
            return 0;
        }
    }

    @Command(name = "top", mixinStandardHelpOptions = true,
            description = "Writes a store of the N hashes seen most often (from a full store) to TO/<mode>.pwstore, for "
                    + "pwcheck.fallback.dir: it answers 'breached' for them while the upstream is down, and is never used "
                    + "as the mirror.")
    static final class Top extends Subcommand {
        @CommandLine.Mixin
        StoreOptions store = new StoreOptions();

        @Option(names = "--count", required = true, paramLabel = "N", description = "How many hashes, at least 1 (1000000 is about 26 MB).")
        int count;

        @Option(names = "--to", required = true, paramLabel = "DIR", description = "Directory for the new store.")
        Path to;

        @Override
        public Integer call() {
            if (count < 1) {
                throw usage("--count must be at least 1");
            }
            MirrorStore source = MirrorStore.open(store.store(), true);
            long start = System.nanoTime();
            Path written = new TopHashes(source, progress("hashes", source.hashes()))
                    .write(count, to.resolve(StoreFormat.fileName(store.mode)));
            out().printf(Locale.ROOT, "Top %,d of %,d hashes in %.1f s%n", Math.min(count, source.hashes()), source.hashes(),
                    (System.nanoTime() - start) / 1e9);
            describe(MirrorStore.open(written, true), out());
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Checks a store's layout and checksums and prints what it holds.")
    static final class Verify extends Subcommand {
        @CommandLine.Mixin
        StoreOptions store = new StoreOptions();

        @Override
        public Integer call() {
            describe(MirrorStore.open(store.store(), true), out());
            return 0;
        }
    }

    static void describe(MirrorStore store, PrintStream out) {
        long bytes = store.file().toFile().length();
        out.printf(Locale.ROOT, "%s: %s %s%s store, %,d hashes in %,d of %,d ranges, %,d bytes (%.2f bytes a hash), checksums OK%n",
                store.file(), store.mode().wire(), store.kind().wire(), store.subset() ? " subset (top)" : "", store.hashes(),
                store.presentRanges(), StoreFormat.PREFIXES, bytes, store.hashes() == 0 ? 0.0 : (double) bytes / store.hashes());
    }

    static final class Modes extends java.util.ArrayList<String> {
        Modes() {
            super(java.util.List.of("sha1", "ntlm"));
        }
    }

    static final class ModeConverter implements CommandLine.ITypeConverter<HashMode> {
        @Override
        public HashMode convert(String value) {
            return HashMode.fromWire(value).orElseThrow(() -> new CommandLine.TypeConversionException("'" + value + "' is not sha1 or ntlm"));
        }
    }

    static final class KindConverter implements CommandLine.ITypeConverter<StoreFormat.Kind> {
        @Override
        public StoreFormat.Kind convert(String value) {
            for (StoreFormat.Kind kind : StoreFormat.Kind.values()) {
                if (kind.wire().equalsIgnoreCase(value.trim())) {
                    return kind;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not full or compact");
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
