package dev.pwcheck.mirror;

import dev.pwcheck.mirror.store.MirrorStoreTest;
import dev.pwcheck.mirror.cli.MirrorCommand;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.support.Corpus;
import dev.pwcheck.support.CorpusUpstream;

import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * A whole sync, all 1,048,576 ranges, against the in-process fake upstream the tests use (HIBP itself is not
 * reachable from the build machines): shows the progress line, the request count per range and the time.
 *
 * <pre>FullSyncRun DIR [HASHES_PER_RANGE] [CONCURRENCY]</pre>
 */
public final class FullSyncRun {

    public static void main(String[] args) throws Exception {
        int perRange = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String concurrency = args.length > 2 ? args[2] : "32";
        Corpus corpus = Corpus.random(5, 40,
                IntStream.range(0, StoreFormat.PREFIXES).mapToObj(p -> String.format(Locale.ROOT, "%05X", p)).toList(), perRange);
        try (CorpusUpstream upstream = new CorpusUpstream(corpus)) {
            long start = System.nanoTime();
            int status = MirrorCommand.run(new String[] { "sync", "--dir", args[0], "--upstream", upstream.url(), "--concurrency", concurrency },
                    System.out, System.err);
            double seconds = (System.nanoTime() - start) / 1e9;
            long twice = upstream.requests().values().stream().filter(n -> n.get() > 1).count();
            System.out.printf(Locale.ROOT, "status %d, %.0f s, %,d requests for %,d ranges, %d ranges asked more than once%n",
                    status, seconds, upstream.totalRequests(), upstream.requests().size(), twice);
            MirrorStore store = MirrorStore.open(Path.of(args[0]).resolve("sha1.pwstore"), true);
            long wrong = corpus.hashes().entrySet().stream()
                    .filter(e -> MirrorStoreTest.countOf(store, e.getKey()) != e.getValue()).count();
            System.out.printf(Locale.ROOT, "%,d hashes checked against the store, %d wrong%n", corpus.hashes().size(), wrong);
        }
    }
}
