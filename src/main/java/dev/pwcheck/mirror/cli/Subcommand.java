package dev.pwcheck.mirror.cli;

import dev.pwcheck.mirror.Progress;
import dev.pwcheck.mirror.store.FilterWriter;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** What every subcommand shares: where it writes, its progress line, and how it reports bad usage. */
@Command
abstract class Subcommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    MirrorCommand parent;

    PrintStream out() {
        return parent.out();
    }

    PrintStream err() {
        return parent.err();
    }

    /** Progress on stderr: a redrawn line on a terminal, a line every few seconds in a log. */
    Progress progress(String unit, long total) {
        return new Progress(unit, total, parent.err(), System.console() != null);
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

    /** Builds the filter {@code target} from the compact store {@code source}, and says what it built. */
    static void buildFilter(Path source, Path target, int minCount, Subcommand command) {
        MirrorStore compact = MirrorStore.open(source, true);
        FilterWriter.Summary summary = new FilterWriter(minCount, command.progress("ranges", StoreFormat.PREFIXES)).write(compact, target);
        command.out().printf(Locale.ROOT, "Filter built in %.1f s: %,d hashes seen at least %d times, %d shards, %,d bytes (%.2f bytes a hash)%n",
                summary.buildMillis() / 1e3, summary.keys(), minCount, summary.shards(), summary.bytes(),
                summary.keys() == 0 ? 0.0 : (double) summary.bytes() / summary.keys());
    }

    /** Says what a store holds, after its checksums were verified. */
    static void describe(MirrorStore store, PrintStream out) {
        long bytes = store.file().toFile().length();
        out.printf(Locale.ROOT, "%s: %s %s%s store, %,d hashes in %,d of %,d ranges, %,d bytes (%.2f bytes a hash), checksums OK%n",
                store.file(), store.mode().wire(), store.kind().wire(), store.subset() ? " subset (top)" : "", store.hashes(),
                store.presentRanges(), StoreFormat.PREFIXES, bytes, store.hashes() == 0 ? 0.0 : (double) bytes / store.hashes());
    }
}
