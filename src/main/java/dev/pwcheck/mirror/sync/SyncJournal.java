package dev.pwcheck.mirror.sync;

import dev.pwcheck.mirror.store.StoreFormat;
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
 * of a write leaves a torn last entry, which the next run cuts off (and fetches that one range again). An entry holds
 * the range's ETag too, and in a refresh may say "not modified" (the upstream's 304): the store being refreshed still
 * has that range, and it is copied from there when the new store is written.
 *
 * <p>Entries: magic, prefix, length, body, CRC-32C of prefix and body. {@code PWJ1} bodies are the range's records
 * (journals written before refreshes existed still resume); {@code PWJ2} bodies are a flags byte (1: not modified),
 * the ETag's length and bytes, then the records.
 */
final class SyncJournal implements Closeable {

    private static final int ENTRY_MAGIC_V1 = 0x50574A31; // "PWJ1"
    private static final int ENTRY_MAGIC = 0x50574A32; // "PWJ2"
    private static final byte NOT_MODIFIED = 1;

    /** One journal entry: the range (null when the upstream said it is unchanged) and the ETag it came with. */
    record Entry(CompactRange range, String etag) {
        boolean notModified() {
            return range == null;
        }
    }
    private static final int ENTRY_HEADER = 12;
    private static final int MAX_RANGE_BYTES = 16 << 20;

    private final Path file;
    private final HashMode mode;
    private final FileChannel channel;
    /** Where each prefix's entry starts, or -1 while it has not been fetched. */
    private final long[] offsets = new long[StoreFormat.PREFIXES];
    private long end;
    private ByteBuffer entryBuffer = ByteBuffer.allocateDirect(64 << 10);
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
            if ((magic != ENTRY_MAGIC && magic != ENTRY_MAGIC_V1) || prefix < 0 || prefix >= StoreFormat.PREFIXES || length < 0 || length > MAX_RANGE_BYTES
                    || at + ENTRY_HEADER + length + 4 > size) {
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(length + 4);
            readFully(body, at + ENTRY_HEADER);
            body.flip();
            CRC32C crc = new CRC32C();
            crc.update(prefix);
            crc.update(body.array(), 0, length);
            if ((int) crc.getValue() != body.getInt(length) || decode(magic, body.array(), length) == null) {
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

    /** The entry in {@code bytes[0, length)}, or null when it is not a valid one. */
    private Entry decode(int magic, byte[] bytes, int length) {
        try {
            if (magic == ENTRY_MAGIC_V1) {
                return new Entry(CompactRange.fromRecords(mode, Arrays.copyOf(bytes, length)), null);
            }
            if (length < 2 || length < 2 + (bytes[1] & 0xff)) {
                return null;
            }
            int etagLength = bytes[1] & 0xff;
            String etag = etagLength == 0 ? null : new String(bytes, 2, etagLength, java.nio.charset.StandardCharsets.US_ASCII);
            if (bytes[0] == NOT_MODIFIED) {
                return length == 2 + etagLength ? new Entry(null, etag) : null;
            }
            return new Entry(CompactRange.fromRecords(mode, Arrays.copyOfRange(bytes, 2 + etagLength, length)), etag);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    synchronized boolean has(int prefix) {
        return offsets[prefix] >= 0;
    }

    synchronized int entries() {
        return entries;
    }

    /** Appends a fetched range; once this returns, a crash of this process no longer loses it. */
    void append(int prefix, CompactRange range) throws IOException {
        append(prefix, range, null);
    }

    /** As {@link #append(int, CompactRange)}, with the ETag the range came with (null: none). */
    void append(int prefix, CompactRange range, String etag) throws IOException {
        write(prefix, (byte) 0, etag, range);
    }

    /** Records that the upstream answered 304 for {@code prefix}: the store being refreshed keeps that range. */
    void appendNotModified(int prefix, String etag) throws IOException {
        write(prefix, NOT_MODIFIED, etag, null);
    }

    private synchronized void write(int prefix, byte flags, String etag, CompactRange range) throws IOException {
        byte[] tag = etag == null ? new byte[0] : etag.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int length = 2 + tag.length + (range == null ? 0 : range.recordsLength());
        if (entryBuffer.capacity() < ENTRY_HEADER + length + 4) {
            entryBuffer = ByteBuffer.allocateDirect(Math.max(ENTRY_HEADER + length + 4, 2 * entryBuffer.capacity()));
        }
        // One direct buffer, reused: the range is copied once, into the bytes the kernel reads.
        ByteBuffer entry = entryBuffer.clear();
        entry.putInt(ENTRY_MAGIC).putInt(prefix).putInt(length).put(flags).put((byte) tag.length).put(tag);
        if (range != null) {
            range.writeRecordsTo(entry);
        }
        CRC32C crc = new CRC32C();
        crc.update(prefix);
        crc.update(entry.duplicate().flip().position(ENTRY_HEADER));
        entry.putInt((int) crc.getValue()).flip();
        long at = end;
        while (entry.hasRemaining()) {
            end += channel.write(entry, end);
        }
        if (offsets[prefix] < 0) {
            entries++;
        }
        offsets[prefix] = at;
    }

    /** The entry for {@code prefix}, read back and validated. */
    Entry read(int prefix) throws IOException {
        long at;
        synchronized (this) {
            at = offsets[prefix];
        }
        ByteBuffer header = ByteBuffer.allocate(ENTRY_HEADER);
        readFully(header, at);
        int magic = header.getInt(0);
        int length = header.getInt(8);
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(body, at + ENTRY_HEADER);
        Entry entry = decode(magic, body.array(), length);
        if (entry == null) {
            throw new IOException("journal entry for range " + String.format("%05X", prefix) + " is damaged");
        }
        return entry;
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
