package dev.pwcheck.mirror.cli;

import dev.pwcheck.mirror.corpus.TopHashes;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

@Command(name = "top", mixinStandardHelpOptions = true,
        description = "Writes a store of the N hashes seen most often (from a full store) to TO/<mode>.pwstore, for "
                + "pwcheck.fallback.dir: it answers 'breached' for them while the upstream is down, and is never used "
                + "as the mirror.")
final class TopCommand extends Subcommand {
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
        keepPrevious(to.resolve(StoreFormat.fileName(store.mode)));
        Path written = new TopHashes(source, progress("hashes", source.hashes()))
                .write(count, to.resolve(StoreFormat.fileName(store.mode)));
        out().printf(Locale.ROOT, "Top %,d of %,d hashes in %.1f s%n", Math.min(count, source.hashes()), source.hashes(),
                (System.nanoTime() - start) / 1e9);
        describe(MirrorStore.open(written, true), out());
        return 0;
    }
}
