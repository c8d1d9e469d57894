package dev.pwcheck.mirror.store;

import dev.pwcheck.format.CompactRange;
import dev.pwcheck.format.HashMode;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static dev.pwcheck.mirror.store.StoreFormat.PREFIXES;

/**
 * Builds a store file from ranges given in prefix order, records in suffix order, in memory bounded by the index
 * (4 MiB) and the overflow table, whatever the corpus size. A compact store keeps each hash's first 64 bits: two
 * hashes that share them become one record with the larger count (counted in {@link #merged()}), so a lookup never
 * under-reports. Everything goes to a temporary file beside the
 * target; only {@link #commit()} (after fsync) renames it into place, so a crash or a rejected input never
 * leaves a half-written store where the service would load it. The writer holds the order of what it is given, the
 * index and presence bits, and the file; the records themselves are laid out by its {@link RecordOutput}.
 */
public class StoreWriter implements Closeable {

    private static final int TABLE_PIECE_BYTES = 1 << 20;

    private final Path target;
    final Path temp;
    private final HashMode mode;
    private final StoreFormat.Kind kind;
    private final boolean subset;
    final int width;
    private final int suffixBytes;
    private final int keyBytes;
    final FileChannel channel;
    final RecordOutput output;
    private final int[] index = new int[PREFIXES + 1];
    private final byte[] presence = new byte[PREFIXES / 8];
    private final byte[] lastSuffix;
    /** The record not yet written: a compact key may still be merged into it. */
    private final byte[] pendingKey;
    private int pendingCount;
    private boolean pending;
    private long merged;
    /** A range's records, copied here to be read in one loop (reused: one range at a time). */
    private byte[] scratch = new byte[64 << 10];
    int prefix = -1;
    boolean rangeEmpty;
    /** The current range was added whole ({@link #addRange}, {@link #copyRange}): no single hash may follow. */
    boolean wholeRange;
    boolean committed;
    /** A sync's partial store ({@link ResumableStoreWriter}): each whole range goes to the file as it ends. */
    private final boolean flushEachWholeRange;

    /**
     * What a whole range put into the store: its records (of {@code width} bytes), the CRC-32C of their bytes, and its
     * large counts as (record within the range, count) pairs. A sync journals this instead of the range once the store
     * has it, and a resumed sync checks the partial store against it ({@link ResumableStoreWriter#takeBack}).
     */
    public record WrittenRange(int records, int width, int crc, int[] overflow) {
    }

    public StoreWriter(Path target, HashMode mode) {
        this(target, mode, StoreFormat.Kind.FULL, false);
    }

    /** @param subset the store holds only some hashes of its ranges ({@code mirror top}): never usable as the mirror */
    public StoreWriter(Path target, HashMode mode, StoreFormat.Kind kind, boolean subset) {
        this(target, mode, kind, subset, null);
    }

    /** @param partial where a sync's partial store is kept ({@link ResumableStoreWriter}); null: a temporary file */
    StoreWriter(Path target, HashMode mode, StoreFormat.Kind kind, boolean subset, Path partial) {
        this.target = target.toAbsolutePath();
        this.mode = mode;
        this.kind = kind;
        this.subset = subset;
        this.width = StoreFormat.recordBytes(mode, kind);
        this.keyBytes = StoreFormat.keyBytes(mode, kind);
        this.suffixBytes = mode.suffixBytes();
        this.lastSuffix = new byte[suffixBytes];
        this.pendingKey = new byte[keyBytes];
        this.flushEachWholeRange = partial != null;
        this.temp = partial != null ? partial.toAbsolutePath()
                : this.target.resolveSibling("." + this.target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        if (!this.temp.getParent().equals(this.target.getParent())) {
            throw new StoreException("a partial store must sit beside its target, so that the rename is atomic");
        }
        try {
            Files.createDirectories(this.target.getParent());
            this.channel = partial != null
                    ? FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)
                    : FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
            channel.position(StoreFormat.RECORDS_AT);
        } catch (IOException e) {
            throw new StoreException("cannot create " + temp + ": " + e.getMessage(), e);
        }
        this.output = new RecordOutput(channel, temp, width, suffixBytes, keyBytes);
    }

    /** Starts the range of {@code next}, which must come after every range begun so far. It may stay empty. */
    public void beginRange(int next) {
        if (next <= prefix || next >= PREFIXES) {
            throw new StoreException("ranges must come in increasing prefix order");
        }
        writePending();
        for (int p = prefix + 1; p <= next; p++) {
            index[p] = (int) output.count();
        }
        prefix = next;
        presence[next >>> 3] |= (byte) (1 << (next & 7));
        rangeEmpty = true;
        wholeRange = false;
    }

    /**
     * Adds the hash with {@code packedSuffix} (as {@code Hex.packSuffix} lays it out, read at {@code at}) to the
     * current range. Suffixes must strictly increase within a range and counts be at least 1.
     */
    public void add(byte[] packedSuffix, int at, int count) {
        if (prefix < 0) {
            throw new StoreException("a record came before any range");
        }
        if (count < 1) {
            throw new StoreException("a count must be at least 1");
        }
        if (wholeRange) {
            throw new StoreException("a whole range must be the only content of its range");
        }
        if (!rangeEmpty && Arrays.compareUnsigned(packedSuffix, at, at + suffixBytes, lastSuffix, 0, suffixBytes) <= 0) {
            throw new StoreException("hashes are not in strictly increasing order");
        }
        System.arraycopy(packedSuffix, at, lastSuffix, 0, suffixBytes);
        rangeEmpty = false;
        addKey(packedSuffix, at, count);
    }

    /** Makes the key at {@code src[from]} the pending record, or folds it into the pending one when a compact key repeats. */
    private void addKey(byte[] src, int from, int count) {
        // Full keys strictly increase: only a compact key can repeat. Keep the larger count, never less.
        if (kind == StoreFormat.Kind.COMPACT && pending && Arrays.equals(pendingKey, 0, keyBytes - 1, src, from, from + keyBytes - 1)
                && (pendingKey[keyBytes - 1] & 0xF0) == (src[from + keyBytes - 1] & 0xF0)) {
            pendingCount = Math.max(pendingCount, count);
            merged++;
            return;
        }
        writePending();
        System.arraycopy(src, from, pendingKey, 0, keyBytes);
        pendingKey[keyBytes - 1] &= (byte) 0xF0;
        pendingCount = count;
        pending = true;
    }

    /** Hashes folded into another because their first 64 bits matched (compact stores only). */
    public long merged() {
        return merged;
    }

    private void writePending() {
        if (!pending) {
            return;
        }
        pending = false;
        output.put(pendingKey, 0, pendingCount);
    }

    /**
     * Adds a whole range, as the range just begun and nothing else. A {@link CompactRange} is strictly sorted with
     * counts of at least 1 by construction, so this writes its records in one loop without {@link #add}'s per-hash
     * checks: the sync's store is most of its work after the parse.
     */
    public WrittenRange addRange(CompactRange range) {
        startWholeRange();
        int size = range.size();
        if (size == 0) {
            return endWholeRange();
        }
        if (scratch.length < range.recordsLength()) {
            scratch = new byte[Math.max(range.recordsLength(), 2 * scratch.length)];
        }
        byte[] in = scratch;
        range.writeRecordsTo(ByteBuffer.wrap(in));
        int inWidth = suffixBytes + Integer.BYTES;
        if (kind == StoreFormat.Kind.COMPACT) {
            for (int i = 0, from = 0; i < size; i++, from += inWidth) {
                addKey(in, from, range.countAt(i)); // neighbours may share their first 64 bits: the pending record merges them
            }
            return endWholeRange();
        }
        output.putFull(in, size);
        return endWholeRange();
    }

    /**
     * Adds the range of {@code prefix} from {@code source}, a verified store of this store's corpus and kind, as the
     * range just begun and nothing else: its records are copied as they are (a refresh keeps an unchanged range
     * this way), and only counts in the source's overflow table are looked up.
     */
    public WrittenRange copyRange(MirrorStore source, int prefix) {
        if (source.mode() != mode || source.kind() != kind) {
            throw new StoreException("a range can only be copied from a store of the same corpus and kind");
        }
        startWholeRange();
        output.copy(source, prefix);
        return endWholeRange();
    }

    /** A whole range goes alone into the range just begun: the per-hash order check of {@link #add} does not cover it. */
    private void startWholeRange() {
        if (prefix < 0) {
            throw new StoreException("a record came before any range");
        }
        if (!rangeEmpty) {
            throw new StoreException("a whole range must be the only content of its range");
        }
        writePending();
        rangeEmpty = false;
        wholeRange = true;
        output.startRange();
    }

    /**
     * Ends the whole range begun by {@link #startWholeRange()} (its last compact record included) and says what it
     * wrote; in a sync's partial store the range is in the file (the page cache) once this returns.
     */
    private WrittenRange endWholeRange() {
        writePending();
        WrittenRange written = output.endRange();
        if (flushEachWholeRange) {
            // Into the file before a sync journals where the range is: a kill then loses nothing the journal points at.
            output.flush();
        }
        return written;
    }

    /** Writes index, presence, overflow and header, syncs, and atomically replaces the target. */
    public Path commit() {
        try {
            writePending();
            output.flush();
            long records = output.count();
            for (int p = prefix + 1; p <= PREFIXES; p++) {
                index[p] = (int) records;
            }
            // Index, presence and overflow table, checksummed in that order. The index and the table go through one
            // direct buffer a piece at a time: whole, they were copied three times over (a heap buffer, its
            // byte-swapped view, the JDK's temporary direct copy), a tenth of a second for a large table.
            CRC32C metaCrc = new CRC32C();
            ByteBuffer piece = ByteBuffer.allocateDirect(TABLE_PIECE_BYTES).order(ByteOrder.BIG_ENDIAN);
            writeInts(index, index.length, StoreFormat.INDEX_AT, metaCrc, piece);
            metaCrc.update(presence);
            writeFully(ByteBuffer.wrap(presence), StoreFormat.PRESENCE_AT);
            writeInts(output.overflowTable(), output.overflowPairs() * 2, StoreFormat.overflowAt(records, width), metaCrc, piece);

            ByteBuffer header = StoreFormat.header(mode, width, kind, records, output.recordsCrc(), (int) metaCrc.getValue())
                    .put(StoreFormat.H_SUBSET, (byte) (subset ? 1 : 0))
                    .putInt(StoreFormat.H_OVERFLOW, output.overflowPairs());
            writeFully(header, 0);
            channel.force(true);
            channel.close();
            StoreFiles.replace(temp, target);
            committed = true;
            return target;
        } catch (IOException e) {
            throw new StoreException("cannot write " + temp + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code values[0, count)} big-endian from {@code at} through {@code piece}, adding their bytes to {@code crc}. */
    private void writeInts(int[] values, int count, long at, CRC32C crc, ByteBuffer piece) throws IOException {
        long position = at;
        for (int from = 0; from < count; ) {
            int n = Math.min(count - from, piece.capacity() / Integer.BYTES);
            piece.clear();
            piece.asIntBuffer().put(values, from, n);
            piece.limit(n * Integer.BYTES);
            crc.update(piece);
            piece.flip();
            writeFully(piece, position);
            position += (long) n * Integer.BYTES;
            from += n;
        }
    }

    private void writeFully(ByteBuffer bytes, long at) throws IOException {
        StoreFiles.writeFully(channel, bytes, at);
    }

    /** Abandons an uncommitted store: the temporary file goes, the target is untouched. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            channel.close();
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // Best effort: a leftover temporary file is never loaded (its name does not match).
        }
    }
}
