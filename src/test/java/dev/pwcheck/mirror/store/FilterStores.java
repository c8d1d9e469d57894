package dev.pwcheck.mirror.store;

import dev.pwcheck.hash.Hex;
import dev.pwcheck.format.HashMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Filter stores for the service-side tests: a whole-corpus compact store of the given hashes, then the filter over it. */
public final class FilterStores {

    private FilterStores() {
    }

    /** Writes {@code dir/sha1.pwstore} as a filter over {@code hashes} (40 hex → count) built with {@code minCount}. */
    public static void write(Map<String, Integer> hashes, Path dir, int minCount) throws java.io.IOException {
        Files.createDirectories(dir);
        Path compact = Files.createTempFile(dir.getParent(), "compact", ".pwstore");
        TreeMap<String, Integer> sorted = new TreeMap<>(hashes);
        try (StoreWriter writer = new StoreWriter(compact, HashMode.SHA1, StoreFormat.Kind.COMPACT, false)) {
            var entries = sorted.entrySet().iterator();
            var next = entries.hasNext() ? entries.next() : null;
            // Every range, most of them empty: a filter is only ever built from the whole corpus.
            for (int prefix = 0; prefix < StoreFormat.PREFIXES; prefix++) {
                writer.beginRange(prefix);
                while (next != null && Integer.parseInt(next.getKey().substring(0, 5), 16) == prefix) {
                    writer.add(Hex.packSuffix(next.getKey(), 5), 0, next.getValue());
                    next = entries.hasNext() ? entries.next() : null;
                }
            }
            writer.commit();
        }
        new FilterWriter(minCount, MirrorStoreTest.quiet()).write(MirrorStore.open(compact, true), dir.resolve("sha1.pwstore"));
        Files.delete(compact);
    }
}
