package dev.pwcheck.mirror.store;

import dev.pwcheck.mirror.Progress;
import dev.pwcheck.format.HashMode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Builds a filter store from a full or compact store (its records are in key order, so each shard is a run of its
 * ranges): shard by shard, each shard's keys (those seen at least {@code minCount} times) in memory only while it is
 * built. The source may be partial: the filter then records the ranges it was built from and answers for those only.
 * Written beside the target and renamed into place once complete and synced, as the other writers do.
 */
public final class FilterWriter {

    /** What one build did. */
    public record Summary(long keys, int shards, long bytes, long buildMillis) {
    }

    private final int minCount;
    private final Progress progress;

    public FilterWriter(int minCount, Progress progress) {
        if (minCount < 1) {
            throw new StoreException("--min-count must be at least 1");
        }
        this.minCount = minCount;
        this.progress = progress;
    }

    public Summary write(MirrorStore source, Path target) {
        if (source.kind() == StoreFormat.Kind.FILTER || source.subset()) {
            // A filter answers "clean" for whatever it lacks in a range it holds: built from some hashes of a range
            // (mirror top), it would lie. Missing ranges are fine: they are recorded as not held.
            throw new StoreException("a filter is built from a full or compact store of whole ranges, not from a filter or a top-hashes store");
        }
        long start = System.nanoTime();
        HashMode mode = source.mode();
        int shardBits = FilterFormat.shardBits(source.hashes());
        int shards = 1 << shardBits;
        int prefixesPerShard = StoreFormat.PREFIXES >> shardBits;
        Path absolute = target.toAbsolutePath();
        Path temp = absolute.resolveSibling("." + absolute.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        ByteBuffer table = ByteBuffer.allocate(FilterFormat.SHARD_BYTES * shards);
        CRC32C fingerprintsCrc = new CRC32C();
        long keys = 0;
        boolean done = false;
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long at = FilterFormat.fingerprintsAt(shardBits);
            byte[] suffix = new byte[mode.suffixBytes()];
            for (int shard = 0; shard < shards; shard++) {
                int first = shard * prefixesPerShard;
                long upTo = source.rangeStart(first + prefixesPerShard) - source.rangeStart(first);
                long[] shardKeys = new long[(int) upTo];
                int n = 0;
                long previous = -1;
                for (int prefix = first; prefix < first + prefixesPerShard; prefix++) {
                    for (long r = source.rangeStart(prefix), end = source.rangeStart(prefix + 1); r < end; r++) {
                        if (source.countAt(r) < minCount) {
                            continue;
                        }
                        source.keyAt(r, suffix);
                        long key = FilterFormat.key(prefix, suffix);
                        // Two full hashes may share their first 64 bits: one key.
                        if (n == 0 || key != previous) {
                            shardKeys[n++] = key;
                            previous = key;
                        }
                    }
                }
                BinaryFuse16.Built built = BinaryFuse16.build(shardKeys, n, 0x726b2b9d438b9d4dL + shard);
                ByteBuffer out = ByteBuffer.allocate(built.fingerprints().length * 2);
                out.asShortBuffer().put(built.fingerprints());
                fingerprintsCrc.update(out.duplicate());
                StoreFiles.writeFully(channel, out, at);
                BinaryFuse16.Params p = built.params();
                table.putLong(p.seed()).putInt(p.segmentLength()).putInt(p.segmentCountLength()).putInt(p.arrayLength()).putInt(n).putLong(at);
                at += out.capacity();
                keys += n;
                progress.advance(prefixesPerShard);
            }
            // A filter of every range keeps the layout filters always had, so that a release from before partial
            // filters still reads it (a job and replicas of different releases during an upgrade).
            boolean partial = source.presentRanges() != StoreFormat.PREFIXES;
            table.flip();
            CRC32C meta = new CRC32C();
            meta.update(table.duplicate());
            if (partial) {
                ByteBuffer held = heldRanges(source);
                StoreFiles.writeFully(channel, held.duplicate(), at);
                meta.update(held);
            }
            StoreFiles.writeFully(channel, table, FilterFormat.SHARDS_AT);
            ByteBuffer header = StoreFormat.header(mode, FilterFormat.FINGERPRINT_BYTES, StoreFormat.Kind.FILTER, keys,
                            (int) fingerprintsCrc.getValue(), (int) meta.getValue())
                    .putInt(FilterFormat.H_SHARD_BITS, shardBits)
                    .putInt(FilterFormat.H_MIN_COUNT, minCount)
                    .putInt(FilterFormat.H_RANGES_HELD, partial ? 1 : 0);
            StoreFiles.writeFully(channel, header, 0);
            channel.force(true);
            long bytes = channel.size();
            StoreFiles.replace(temp, absolute);
            done = true;
            return new Summary(keys, shards, bytes, (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            throw new StoreException("cannot write " + temp + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // nothing more to do: the target was never touched
                }
            }
        }
    }

    /** Bit {@code prefix} set when the source holds that range, as a full or compact store's presence bits are. */
    private static ByteBuffer heldRanges(MirrorStore source) {
        byte[] bits = new byte[FilterFormat.HELD_BYTES];
        for (int prefix = 0; prefix < StoreFormat.PREFIXES; prefix++) {
            if (source.holds(prefix)) {
                bits[prefix >>> 3] |= (byte) (1 << (prefix & 7));
            }
        }
        return ByteBuffer.wrap(bits);
    }
}
