package dev.pwcheck.mirror.corpus;

import dev.pwcheck.mirror.Progress;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreException;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.mirror.store.StoreWriter;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code mirror top}: a store of the N hashes seen most often, taken from a full store, for the outage fallback
 * ({@code pwcheck.fallback.dir}). One pass over the records keeps the N largest counts in a heap of longs (count
 * and record number, 8 bytes each: 8 MB for a million); the chosen records are then written, in order, as a full
 * store marked as a subset, so that it can answer "breached" and is never taken for a whole corpus. Ties at the
 * cut keep the hashes that come first.
 */
public final class TopHashes {

    private final MirrorStore source;
    private final Progress progress;

    public TopHashes(MirrorStore source, Progress progress) {
        if (source.kind() != StoreFormat.Kind.FULL) {
            throw new StoreException(source.file() + " is a compact store: top needs whole hashes; use the full store");
        }
        this.source = source;
        this.progress = progress;
    }

    /** Writes the store of the {@code n} most-seen hashes to {@code target}; returns it. */
    public Path write(int n, Path target) {
        long[] chosen = choose(n);
        byte[] suffix = new byte[source.mode().suffixBytes()];
        try (StoreWriter writer = new StoreWriter(target, source.mode(), StoreFormat.Kind.FULL, true)) {
            int prefix = -1;
            for (long entry : chosen) {
                long record = entry & 0xFFFF_FFFFL;
                int before = prefix;
                while (prefix < 0 || source.rangeStart(prefix + 1) <= record) {
                    prefix++;
                }
                if (prefix != before) {
                    writer.beginRange(prefix);
                }
                source.suffixAt(record, suffix, 0);
                writer.add(suffix, 0, source.countAt(record));
            }
            return writer.commit();
        }
    }

    /** The record numbers of the {@code n} largest counts, sorted (as longs: count in the high half, record in the low). */
    private long[] choose(int n) {
        int size = (int) Math.min(n, source.hashes());
        long[] heap = new long[size];
        int filled = 0;
        long total = source.hashes();
        for (long record = 0; record < total; record++) {
            // Lower record numbers win ties: invert them so that, at the same count, the later record is smaller.
            long key = (long) source.countAt(record) << 32 | (0xFFFF_FFFFL - record);
            if (filled < size) {
                heap[filled] = key;
                siftUp(heap, filled++);
            } else if (size > 0 && key > heap[0]) {
                heap[0] = key;
                siftDown(heap, size);
            }
            if ((record & 0xFFFF) == 0xFFFF) {
                progress.advance(0x10000);
                progress.tick();
            }
        }
        progress.finish();
        long[] records = new long[size];
        for (int i = 0; i < size; i++) {
            records[i] = 0xFFFF_FFFFL - (heap[i] & 0xFFFF_FFFFL);
        }
        Arrays.sort(records);
        return records;
    }

    private static void siftUp(long[] heap, int at) {
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (heap[parent] <= heap[at]) {
                return;
            }
            long t = heap[parent];
            heap[parent] = heap[at];
            heap[at] = t;
            at = parent;
        }
    }

    private static void siftDown(long[] heap, int size) {
        int at = 0;
        while (true) {
            int left = 2 * at + 1;
            if (left >= size) {
                return;
            }
            int smallest = left + 1 < size && heap[left + 1] < heap[left] ? left + 1 : left;
            if (heap[at] <= heap[smallest]) {
                return;
            }
            long t = heap[smallest];
            heap[smallest] = heap[at];
            heap[at] = t;
            at = smallest;
        }
    }
}
