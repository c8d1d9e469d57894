package dev.pwcheck.mirror.sync;

import dev.pwcheck.format.CompactRange;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.mirror.store.StoreWriter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The layout of a sync journal's entries ({@link SyncJournal}).
 *
 * <p>Entries: magic, prefix, length, body, CRC-32C. {@code PWJ1} bodies are the range's records (journals written
 * before refreshes existed still resume); {@code PWJ2} bodies are a flags byte (1: not modified), the ETag's length
 * and bytes, then the records; for both the checksum covers the prefix's low byte and the body. {@code PWJ3} entries
 * say a range is in the partial store: the ETag's length and bytes, then the range's record count, record width,
 * the CRC-32C of its records as stored, the number of its large counts and those (record, count) pairs; the checksum
 * covers the whole entry before it.
 */
final class JournalFormat {

    static final int MAGIC_V1 = 0x50574A31; // "PWJ1"
    static final int MAGIC = 0x50574A32; // "PWJ2"
    static final int MAGIC_STORED = 0x50574A33; // "PWJ3"
    static final byte NOT_MODIFIED = 1;
    /** Magic, prefix and body length. */
    static final int HEADER = 12;
    /** A body claiming more than this is not believed: a range's answer is read up to 4 MiB. */
    static final int MAX_BODY = 16 << 20;

    private JournalFormat() {
    }

    /** The ETag's bytes as an entry holds them (none when there is no ETag): encoded once an entry. */
    static byte[] ascii(String etag) {
        return etag == null ? new byte[0] : etag.getBytes(StandardCharsets.US_ASCII);
    }

    static int rangeLength(byte[] tag, CompactRange range) {
        return 2 + tag.length + (range == null ? 0 : range.recordsLength());
    }

    /** A {@code PWJ2} entry into {@code entry}, flipped for writing. */
    static void encodeRange(ByteBuffer entry, int prefix, byte flags, byte[] tag, CompactRange range) {
        entry.putInt(MAGIC).putInt(prefix).putInt(rangeLength(tag, range)).put(flags).put((byte) tag.length).put(tag);
        if (range != null) {
            range.writeRecordsTo(entry);
        }
        CRC32C crc = new CRC32C();
        crc.update(prefix);
        crc.update(entry.duplicate().flip().position(HEADER));
        entry.putInt((int) crc.getValue()).flip();
    }

    static int storedLength(byte[] tag, StoreWriter.WrittenRange written) {
        return 1 + tag.length + 16 + 4 * written.overflow().length;
    }

    /** A {@code PWJ3} entry into {@code entry}, flipped for writing. */
    static void encodeStored(ByteBuffer entry, int prefix, byte[] tag, StoreWriter.WrittenRange written) {
        int[] large = written.overflow();
        entry.putInt(MAGIC_STORED).putInt(prefix).putInt(storedLength(tag, written)).put((byte) tag.length).put(tag)
                .putInt(written.records()).putInt(written.width()).putInt(written.crc()).putInt(large.length / 2);
        // In one bulk copy: a range can hold hundreds of large counts, and one put a value was a call each.
        entry.asIntBuffer().put(large);
        entry.position(entry.position() + 4 * large.length);
        CRC32C crc = new CRC32C();
        crc.update(entry.duplicate().flip());
        entry.putInt((int) crc.getValue()).flip();
    }

    /** The entry in {@code bytes[0, length)}, or null when it is not a valid one. */
    static SyncJournal.Entry decodeRange(HashMode mode, int magic, byte[] bytes, int length) {
        try {
            if (magic == MAGIC_V1) {
                return new SyncJournal.Entry(CompactRange.fromRecords(mode, Arrays.copyOf(bytes, length)), null);
            }
            if (length < 2 || length < 2 + (bytes[1] & 0xff)) {
                return null;
            }
            int etagLength = bytes[1] & 0xff;
            String etag = etagLength == 0 ? null : new String(bytes, 2, etagLength, StandardCharsets.US_ASCII);
            if (bytes[0] == NOT_MODIFIED) {
                return length == 2 + etagLength ? new SyncJournal.Entry(null, etag) : null;
            }
            return new SyncJournal.Entry(CompactRange.fromRecords(mode, Arrays.copyOfRange(bytes, 2 + etagLength, length)), etag);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The "in the partial store" entry in {@code bytes[0, length)}, or null when it is not a valid one. */
    static SyncJournal.Stored decodeStored(byte[] bytes, int length) {
        if (length < 17) {
            return null;
        }
        int etagLength = bytes[0] & 0xff;
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
        in.position(1 + etagLength);
        if (in.remaining() < 16) {
            return null;
        }
        int records = in.getInt();
        int width = in.getInt();
        int crc = in.getInt();
        int pairs = in.getInt();
        if (records < 0 || width <= 0 || pairs < 0 || pairs > records || in.remaining() != 8L * pairs) {
            return null;
        }
        int[] large = new int[pairs * 2];
        for (int i = 0; i < large.length; i++) {
            large[i] = in.getInt();
        }
        String etag = etagLength == 0 ? null : new String(bytes, 1, etagLength, StandardCharsets.US_ASCII);
        return new SyncJournal.Stored(etag, new StoreWriter.WrittenRange(records, width, crc, large));
    }
}
