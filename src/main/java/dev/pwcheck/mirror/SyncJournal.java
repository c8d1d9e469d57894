package dev.pwcheck.mirror;

import dev.pwcheck.range.CompactRange;
import dev.pwcheck.range.HashMode;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * What a sync has fetched so far, appended range by range as each arrives, so that an interrupted sync resumes
 * without fetching any range twice. Each entry is written in one call and carries a checksum: a kill in the middle
 * of a write leaves a torn last entry, which the next run cuts off (and fetches that one range again).
 */
final class SyncJournal implements Closeable {

    private static final int ENTRY_MAGIC = 0x50574A31; // "PWJ1"
    private static final int ENTRY_HEADER = 12;
    private static final int MAX_RANGE_BYTES = 16 << 20;

    private final Path file;
    private final HashMode mode;
    private final FileChannel channel;
    /** Where each prefix's entry starts, or -1 while it has not been fetched. */
    private final long[] offsets = new long[StoreFormat.PREFIXES];
    private long end;
    private int entries;

    private SyncJournal(Path file, HashMode mode, FileChannel channel) {
        this.file = file;
        this.mode = mode;
        this.channel = channel;
        Arrays.fill(offsets, -1);
    }

    /** Opens (or starts) the journal, keeping every intact entry and cutting off a torn tail. */
    static SyncJournal open(Path file, HashMode mode) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        SyncJournal journal = new SyncJournal(file, mode, channel);
        journal.recover();
        return journal;
    }

    private void recover() throws IOException {
        long size = channel.size();
        long at = 0;
        ByteBuffer header = ByteBuffer.allocate(ENTRY_HEADER);
        while (at + ENTRY_HEADER <= size) {
            header.clear();
            readFully(header, at);
            header.flip();
            int magic = header.getInt();
            int prefix = header.getInt();
            int length = header.getInt();
            if (magic != ENTRY_MAGIC || prefix < 0 || prefix >= StoreFormat.PREFIXES || length < 0 || length > MAX_RANGE_BYTES
                    || at + ENTRY_HEADER + length + 4 > size) {
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(length + 4);
            readFully(body, at + ENTRY_HEADER);
            body.flip();
            CRC32C crc = new CRC32C();
            crc.update(prefix);
            crc.update(body.array(), 0, length);
            if ((int) crc.getValue() != body.getInt(length) || !valid(body.array(), length)) {
                break;
            }
            if (offsets[prefix] < 0) {
                entries++;
            }
            offsets[prefix] = at;
            at += ENTRY_HEADER + length + 4;
        }
        if (at < size) {
            channel.truncate(at);
        }
        end = at;
    }

    private boolean valid(byte[] bytes, int length) {
        try {
            CompactRange.fromRecords(mode, Arrays.copyOf(bytes, length));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    boolean has(int prefix) {
        return offsets[prefix] >= 0;
    }

    synchronized int entries() {
        return entries;
    }

    /** Appends a fetched range; once this returns, a crash of this process no longer loses it. */
    synchronized void append(int prefix, CompactRange range) throws IOException {
        byte[] records = range.copyOfRecords();
        ByteBuffer entry = ByteBuffer.allocate(ENTRY_HEADER + records.length + 4);
        CRC32C crc = new CRC32C();
        crc.update(prefix);
        crc.update(records);
        entry.putInt(ENTRY_MAGIC).putInt(prefix).putInt(records.length).put(records).putInt((int) crc.getValue()).flip();
        long at = end;
        while (entry.hasRemaining()) {
            end += channel.write(entry, end);
        }
        if (offsets[prefix] < 0) {
            entries++;
        }
        offsets[prefix] = at;
    }

    /** The range fetched for {@code prefix}, read back and validated. */
    CompactRange read(int prefix) throws IOException {
        long at = offsets[prefix];
        ByteBuffer header = ByteBuffer.allocate(ENTRY_HEADER);
        readFully(header, at);
        int length = header.getInt(8);
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(body, at + ENTRY_HEADER);
        return CompactRange.fromRecords(mode, body.array());
    }

    /** Flushes appended entries to the device, so that even a power cut loses at most what came since. */
    void force() throws IOException {
        channel.force(false);
    }

    void delete() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void readFully(ByteBuffer into, long at) throws IOException {
        long position = at;
        while (into.hasRemaining()) {
            int n = channel.read(into, position);
            if (n < 0) {
                throw new IOException("unexpected end of " + file);
            }
            position += n;
        }
    }
}
