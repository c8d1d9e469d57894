package dev.pwcheck.mirror.cli;

import dev.pwcheck.mirror.Progress;
import dev.pwcheck.mirror.corpus.CorpusImport;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Builds DIR/<mode>.pwstore from what HIBP's downloader wrote: one sorted HASH:COUNT file (byte order "
                + "marks, LF or CRLF as the downloader writes them on any platform), or a directory of PREFIX.txt range"
                + " files.")
final class ImportCommand extends Subcommand {
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
        Progress progress = progress("ranges", StoreFormat.PREFIXES);
        long start = System.nanoTime();
        CorpusImport run = new CorpusImport(store.mode, format.written(), partial, progress);
        boolean filter = format.kind == StoreFormat.Kind.FILTER;
        Path target = store.store();
        keepPrevious(target);
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
