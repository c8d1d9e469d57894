package dev.pwcheck.mirror.cli;

import dev.pwcheck.mirror.corpus.StoreExport;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreFormat;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes a full store back out in the downloader's text format (no byte order mark), for other tools: "
                + "one sorted HASH:COUNT file (--to), or a directory of PREFIX.txt range files (--to-ranges).")
final class ExportCommand extends Subcommand {
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
