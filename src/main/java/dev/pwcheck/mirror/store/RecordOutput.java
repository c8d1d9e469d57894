package dev.pwcheck.mirror.store;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The records of a store being written ({@link StoreWriter}), in {@link StoreFormat}'s record layout: each record
 * laid into one buffer that goes to the file a megabyte at a time, counts too large for a record's 12 bits put in the
 * overflow table, and the CRC-32C kept of all records (the header's) and of a whole range's (what a sync journals, as
 * a {@link StoreWriter.WrittenRange}). It holds no order: the writer checks what it is given first.
 */
final class RecordOutput {

    private static final int BUFFER_BYTES = 1 << 20;
    /** Eight key bytes at a time, in whatever order: only copied. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final FileChannel channel;
    /** The file written, for messages. */
    private final Path file;
    private final int width;
    private final int suffixBytes;
    private final int keyBytes;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    private final CRC32C recordsCrc = new CRC32C();
    private long records;
    private int[] overflow = new int[1024];
    private int overflowPairs;
    /** While a whole range is being written: where it began, and the checksum of its bytes so far. */
    private boolean accounting;
    private long rangeRecordsFrom;
    private int rangeOverflowFrom;
    private int rangeCrcFrom;
    private final CRC32C rangeCrc = new CRC32C();

    /** Writes at {@code channel}'s position, where the records start. */
    RecordOutput(FileChannel channel, Path file, int width, int suffixBytes, int keyBytes) {
        this.channel = channel;
        this.file = file;
        this.width = width;
        this.suffixBytes = suffixBytes;
        this.keyBytes = keyBytes;
    }

    /** Records so far, in the file or the buffer. */
    long count() {
        return records;
    }

    /** Bytes in the buffer, not yet in the file. */
    int buffered() {
        return buffer.position();
    }

    int recordsCrc() {
        return (int) recordsCrc.getValue();
    }

    /** The overflow table: {@link #overflowPairs()} (record number, count) pairs from its start. */
    int[] overflowTable() {
        return overflow;
    }

    int overflowPairs() {
        return overflowPairs;
    }

    /** Appends one record: the key at {@code src[from]} (the low nibble of its last byte ignored) and its count. */
    void put(byte[] src, int from, int count) {
        int inline = inlineCount(count);
        if (buffer.remaining() < width) {
            flush();
        }
        int at = buffer.position();
        layRecord(src, from, inline, buffer.array(), at);
        buffer.position(at + width);
        records++;
    }

    /** The record layout: the key (the low nibble of its last byte ignored), then the 12-bit count in that nibble and one byte. */
    private void layRecord(byte[] src, int from, int inline, byte[] out, int at) {
        System.arraycopy(src, from, out, at, keyBytes - 1);
        out[at + keyBytes - 1] = (byte) ((src[from + keyBytes - 1] & 0xF0) | (inline >>> 8));
        out[at + keyBytes] = (byte) inline;
    }

    /**
     * The count as the next record holds it: itself, or the overflow mark with the count put in the overflow table.
     * Also where the record count is capped, since every record passes here first.
     */
    private int inlineCount(int count) {
        requireRoom(1);
        if (count <= StoreFormat.MAX_INLINE_COUNT) {
            return count;
        }
        return overflowMark(count);
    }

    /** Puts {@code count} in the overflow table for the next record, and returns the mark that record holds instead. */
    private int overflowMark(int count) {
        addOverflow(records, count);
        return StoreFormat.OVERFLOW_MARK;
    }

    /** Puts {@code count} in the overflow table for record number {@code record}. */
    private void addOverflow(long record, int count) {
        if (overflowPairs * 2 + 2 > overflow.length) {
            overflow = Arrays.copyOf(overflow, overflow.length * 2);
        }
        overflow[overflowPairs * 2] = (int) record;
        overflow[overflowPairs * 2 + 1] = count;
        overflowPairs++;
    }

    /**
     * Appends {@code size} full records from {@code in}, where {@code CompactRange.writeRecordsTo} laid them out (each
     * suffix followed by its four-byte count), strictly sorted with counts of at least 1.
     */
    void putFull(byte[] in, int size) {
        requireRoom(size);
        // Full records straight into the buffer's array, as many as fit between flushes: a sync writes every hash here.
        // layRecord's layout and CompactRange.readCount's, written out: a sync runs with the JVM's simple compiler,
        // which inlines neither, and two calls and a small array copy a record were a fifth of the sync's store work.
        int inWidth = suffixBytes + Integer.BYTES;
        int copied = keyBytes - 1;
        int longs = copied / Long.BYTES * Long.BYTES;
        for (int i = 0, from = 0; i < size; ) {
            if (buffer.remaining() < width) {
                flush();
            }
            int batch = Math.min(size - i, buffer.remaining() / width);
            byte[] out = buffer.array();
            int at = buffer.position();
            for (int end = i + batch; i < end; i++, from += inWidth, at += width) {
                int c = from + suffixBytes;
                int count = (in[c] & 0xFF) << 24 | (in[c + 1] & 0xFF) << 16 | (in[c + 2] & 0xFF) << 8 | in[c + 3] & 0xFF;
                int inline = count <= StoreFormat.MAX_INLINE_COUNT ? count : overflowMark(count);
                int k = 0;
                for (; k < longs; k += Long.BYTES) {
                    LONGS.set(out, at + k, (long) LONGS.get(in, from + k));
                }
                for (; k < copied; k++) {
                    out[at + k] = in[from + k];
                }
                out[at + copied] = (byte) ((in[from + copied] & 0xF0) | (inline >>> 8));
                out[at + keyBytes] = (byte) inline;
                records++;
            }
            buffer.position(at);
        }
    }

    /**
     * Appends the records of {@code prefix}'s range in {@code source}, a verified store of the same corpus and kind,
     * as they are: only counts in the source's overflow table are looked up.
     */
    void copy(MirrorStore source, int prefix) {
        long first = source.rangeStart(prefix);
        long end = source.rangeStart(prefix + 1);
        // The range's large counts are one run of the source's overflow table: found once, then walked in step.
        int overflowAt = first < end ? source.overflowIndexFrom(first) : 0;
        for (long r = first; r < end; ) {
            if (buffer.remaining() < width) {
                flush();
            }
            int n = (int) Math.min(end - r, buffer.remaining() / width);
            byte[] out = buffer.array();
            int start = buffer.position();
            requireRoom(n);
            source.copyRecords(r, n, out, start);
            for (int i = 0; i < n; i++) {
                int at = start + i * width + keyBytes - 1;
                if (((out[at] & 0x0F) << 8 | out[at + 1] & 0xFF) == StoreFormat.OVERFLOW_MARK) {
                    inlineCount(source.overflowCountAt(overflowAt++, r + i));
                }
                records++;
            }
            buffer.position(start + n * width);
            r += n;
        }
    }

    /**
     * Counts in {@code count} records that are in the file already, right after those counted so far: their
     * {@code bytes} go into the records' checksum, their large counts ({@code large}: pairs of record within them and
     * count) into the overflow table.
     */
    void takeBack(ByteBuffer bytes, int count, int[] large) {
        recordsCrc.update(bytes);
        for (int i = 0; i + 1 < large.length; i += 2) {
            addOverflow(records + large[i], large[i + 1]);
        }
        records += count;
    }

    /** Refuses {@code more} records past the most a store's 32-bit record numbers can hold. */
    void requireRoom(long more) {
        if (records + more > 0xFFFF_FFFFL) {
            throw new StoreException("more hashes than a store holds (2^32 - 1)");
        }
    }

    /** Starts the records of a whole range: {@link #endRange()} says what was written from here. */
    void startRange() {
        accounting = true;
        rangeRecordsFrom = records;
        rangeOverflowFrom = overflowPairs;
        rangeCrc.reset();
        rangeCrcFrom = buffer.position();
    }

    /** What was written since {@link #startRange()}, with the large counts numbered from the range's first record. */
    StoreWriter.WrittenRange endRange() {
        rangeCrc.update(buffer.array(), rangeCrcFrom, buffer.position() - rangeCrcFrom);
        accounting = false;
        int pairs = overflowPairs - rangeOverflowFrom;
        int[] large = new int[pairs * 2];
        for (int i = 0; i < pairs; i++) {
            large[2 * i] = (int) (Integer.toUnsignedLong(overflow[2 * (rangeOverflowFrom + i)]) - rangeRecordsFrom);
            large[2 * i + 1] = overflow[2 * (rangeOverflowFrom + i) + 1];
        }
        return new StoreWriter.WrittenRange((int) (records - rangeRecordsFrom), width, (int) rangeCrc.getValue(), large);
    }

    void flush() {
        if (accounting) {
            rangeCrc.update(buffer.array(), rangeCrcFrom, buffer.position() - rangeCrcFrom);
            rangeCrcFrom = 0;
        }
        buffer.flip();
        recordsCrc.update(buffer.duplicate());
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new StoreException("cannot write " + file + ": " + e.getMessage(), e);
        }
        buffer.clear();
    }
}
