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

    /**
     * Keeps the store a command is about to replace under a second name ({@code .sha1.pwstore.previous}, a hard link,
     * no copy) until the next command replaces it. Why: replicas on other hosts map the store from a shared volume,
     * and on NFS (EFS, Filestore, most ReadWriteMany volumes) a file removed on the server is gone for every client but
     * the one that removed it: a replica still mapping it would fail in a lookup until it swaps. With the link the old
     * store outlives the rename by a sync interval, when every replica has long moved to the new one. The link replaced
     * here is the store before that, unused since the last run.
     */
    void keepPrevious(Path target) {
        Path previous = target.resolveSibling("." + target.getFileName() + ".previous");
        try {
            java.nio.file.Files.deleteIfExists(previous);
            if (java.nio.file.Files.exists(target)) {
                java.nio.file.Files.createLink(previous, target);
            }
        } catch (java.io.IOException | UnsupportedOperationException e) {
            err().println("Note: " + target.getFileName() + " is not kept as " + previous.getFileName() + " (" + e.getClass().getSimpleName()
                    + "): replicas on other hosts of a network file system may fail to read it while they swap");
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
