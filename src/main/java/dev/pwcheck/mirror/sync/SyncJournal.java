package dev.pwcheck.mirror.sync;

import dev.pwcheck.mirror.store.StoreException;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.mirror.store.StoreWriter;
import dev.pwcheck.format.CompactRange;
import dev.pwcheck.format.HashMode;

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
 * <p>A range the store already holds is journalled without its records: only what a resumed sync needs to find it
 * in the partial store and check it there ({@link StoreWriter.WrittenRange}), so the records are not written twice.
 * A range that comes ahead of the store's frontier is journalled with its records first (the partial store cannot
 * take it yet), and again, briefly, once the store has it.
 *
 * <p>The layout of its entries is {@link JournalFormat}'s.
 */
final class SyncJournal implements Closeable {

    /** One journal entry: the range (null when the upstream said it is unchanged) and the ETag it came with. */
    record Entry(CompactRange range, String etag) {
        boolean notModified() {
            return range == null;
        }
    }
    /** A range the partial store holds, as the journal says it wrote it there. */
    record Stored(String etag, StoreWriter.WrittenRange written) {
    }

    private final Path file;
    private final HashMode mode;
    private final FileChannel channel;
    /** Where each prefix's entry starts, or -1 while it has not been fetched. */
    private final long[] offsets = new long[StoreFormat.PREFIXES];
    /** Where each prefix's newest "in the partial store" entry starts, or -1. */
    private final long[] storedAt = new long[StoreFormat.PREFIXES];
    private long end;
    private ByteBuffer entryBuffer = ByteBuffer.allocateDirect(64 << 10);
    private int entries;

    private SyncJournal(Path file, HashMode mode, FileChannel channel) {
        this.file = file;
        this.mode = mode;
        this.channel = channel;
        Arrays.fill(offsets, -1);
        Arrays.fill(storedAt, -1);
    }

    /** Opens (or starts) the journal, keeping every intact entry and cutting off a torn tail. */
    static SyncJournal open(Path file, HashMode mode) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        // Two syncs into one directory would interleave their journals and their partial stores: the second one stops.
        java.nio.channels.FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new StoreException("another mirror sync is running into " + file.getParent() + " (it holds " + file.getFileName() + ")");
        }
        SyncJournal journal = new SyncJournal(file, mode, channel);
        journal.recover();
        return journal;
    }

    private void recover() throws IOException {
        long size = channel.size();
        long at = 0;
        ByteBuffer header = ByteBuffer.allocate(JournalFormat.HEADER);
        while (at + JournalFormat.HEADER <= size) {
            header.clear();
            readFully(header, at);
            header.flip();
            int magic = header.getInt();
            int prefix = header.getInt();
            int length = header.getInt();
            if ((magic != JournalFormat.MAGIC && magic != JournalFormat.MAGIC_V1 && magic != JournalFormat.MAGIC_STORED) || prefix < 0 || prefix >= StoreFormat.PREFIXES
                    || length < 0 || length > JournalFormat.MAX_BODY || at + JournalFormat.HEADER + length + 4 > size) {
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(length + 4);
            readFully(body, at + JournalFormat.HEADER);
            body.flip();
            CRC32C crc = new CRC32C();
            if (magic == JournalFormat.MAGIC_STORED) {
                crc.update(header.array(), 0, JournalFormat.HEADER);
                crc.update(body.array(), 0, length);
                if ((int) crc.getValue() != body.getInt(length) || JournalFormat.decodeStored(body.array(), length) == null) {
                    break;
                }
            } else {
                crc.update(prefix);
                crc.update(body.array(), 0, length);
                if ((int) crc.getValue() != body.getInt(length) || JournalFormat.decodeRange(mode, magic, body.array(), length) == null) {
                    break;
                }
            }
            if (!has(prefix)) {
                entries++;
            }
            if (magic == JournalFormat.MAGIC_STORED) {
                storedAt[prefix] = at;
            } else {
                // Fetched again after a run found the partial store without it: the older "stored" entry is stale.
                offsets[prefix] = at;
                storedAt[prefix] = -1;
            }
            at += JournalFormat.HEADER + length + 4;
        }
        if (at < size) {
            channel.truncate(at);
        }
        end = at;
    }

    /** Whether a rerun need not fetch {@code prefix}: the journal has its records, or says the partial store has it. */
    synchronized boolean has(int prefix) {
        return offsets[prefix] >= 0 || storedAt[prefix] >= 0;
    }

    /** Whether the journal holds the range of {@code prefix} itself (its records, or its 304). */
    synchronized boolean hasRange(int prefix) {
        return offsets[prefix] >= 0;
    }

    /** Whether the journal says the partial store holds the range of {@code prefix}. */
    synchronized boolean isStored(int prefix) {
        return storedAt[prefix] >= 0;
    }

    /** The partial store turned out not to hold {@code prefix}: unless the journal has its records, it is fetched again. */
    synchronized void forgetStored(int prefix) {
        if (storedAt[prefix] >= 0) {
            storedAt[prefix] = -1;
            if (offsets[prefix] < 0) {
                entries--;
            }
        }
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

    /** Appends a range as it arrived: its records, or (a 304) that the store being refreshed keeps it. */
    void append(int prefix, Entry entry) throws IOException {
        if (entry.notModified()) {
            appendNotModified(prefix, entry.etag());
        } else {
            append(prefix, entry.range(), entry.etag());
        }
    }

    /** Records that the upstream answered 304 for {@code prefix}: the store being refreshed keeps that range. */
    void appendNotModified(int prefix, String etag) throws IOException {
        write(prefix, JournalFormat.NOT_MODIFIED, etag, null);
    }

    /** Records that the partial store now holds {@code prefix} as {@code written} says, with the ETag it came with. */
    synchronized void appendStored(int prefix, String etag, StoreWriter.WrittenRange written) throws IOException {
        byte[] tag = JournalFormat.ascii(etag);
        ByteBuffer entry = entryBuffer(JournalFormat.storedLength(tag, written));
        JournalFormat.encodeStored(entry, prefix, tag, written);
        storedAt[prefix] = append(prefix, entry);
    }

    /** The reused direct buffer, cleared, with room for an entry of a {@code length}-byte body. */
    private ByteBuffer entryBuffer(int length) {
        if (entryBuffer.capacity() < JournalFormat.HEADER + length + 4) {
            entryBuffer = ByteBuffer.allocateDirect(Math.max(JournalFormat.HEADER + length + 4, 2 * entryBuffer.capacity()));
        }
        return entryBuffer.clear();
    }

    /** Writes a whole entry at the end, counting a prefix the journal had not seen; returns where it starts. */
    private long append(int prefix, ByteBuffer entry) throws IOException {
        long at = end;
        while (entry.hasRemaining()) {
            end += channel.write(entry, end);
        }
        if (!has(prefix)) {
            entries++;
        }
        return at;
    }

    /** The newest "in the partial store" entry for {@code prefix}, read back and validated. */
    Stored stored(int prefix) throws IOException {
        long at;
        synchronized (this) {
            at = storedAt[prefix];
        }
        byte[] body = bodyAt(at, headerAt(at).getInt(8));
        Stored stored = JournalFormat.decodeStored(body, body.length);
        if (stored == null) {
            throw damaged(prefix);
        }
        return stored;
    }

    private synchronized void write(int prefix, byte flags, String etag, CompactRange range) throws IOException {
        // One direct buffer, reused: the range is copied once, into the bytes the kernel reads.
        byte[] tag = JournalFormat.ascii(etag);
        ByteBuffer entry = entryBuffer(JournalFormat.rangeLength(tag, range));
        JournalFormat.encodeRange(entry, prefix, flags, tag, range);
        offsets[prefix] = append(prefix, entry);
        storedAt[prefix] = -1;
    }

    /** The entry for {@code prefix}, read back and validated. */
    Entry read(int prefix) throws IOException {
        long at;
        synchronized (this) {
            at = offsets[prefix];
        }
        ByteBuffer header = headerAt(at);
        byte[] body = bodyAt(at, header.getInt(8));
        Entry entry = JournalFormat.decodeRange(mode, header.getInt(0), body, body.length);
        if (entry == null) {
            throw damaged(prefix);
        }
        return entry;
    }

    /** The {@code length}-byte body of the entry at {@code at} (checked when the journal was opened or written). */
    private byte[] bodyAt(long at, int length) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(body, at + JournalFormat.HEADER);
        return body.array();
    }

    private ByteBuffer headerAt(long at) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(JournalFormat.HEADER);
        readFully(header, at);
        return header;
    }

    private static IOException damaged(int prefix) {
        return new IOException("journal entry for range " + dev.pwcheck.hash.Hex.prefix(prefix) + " is damaged");
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
