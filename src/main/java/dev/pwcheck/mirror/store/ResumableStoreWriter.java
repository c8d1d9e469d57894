package dev.pwcheck.mirror.store;

import dev.pwcheck.format.HashMode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import static dev.pwcheck.mirror.store.StoreFormat.PREFIXES;

/**
 * A writer for a sync: the store is written into {@code partial} (beside the target), which is opened as it is and
 * kept when the writer closes uncommitted. Ranges a stopped run wrote there are taken back with {@link #takeBack},
 * then {@link #continueAfterTakenBack()} cuts off whatever follows them; while ranges arrive, {@link #writeBack()}
 * pushes what is written to the device.
 */
public final class ResumableStoreWriter extends StoreWriter {

    /** More than any range's records, whose answer is capped at 4 MiB of text: a journal entry claiming more is not believed. */
    private static final int MAX_TAKEN_BACK_BYTES = 64 << 20;

    public ResumableStoreWriter(Path target, HashMode mode, StoreFormat.Kind kind, Path partial) {
        super(target, mode, kind, false, partial);
    }

    /**
     * Takes back range {@code prefix} as a stopped sync wrote it into this writer's partial store, right after the
     * ranges taken back before it: its bytes must be there and match {@code written}'s checksum (a power cut can
     * lose file data that the journal kept). Only before anything new is written.
     *
     * @return whether it was taken back; once one is not, none after it can be
     */
    public boolean takeBack(int prefix, WrittenRange written) {
        if (output.buffered() != 0 || written.width() != width || written.records() < 0) {
            return false;
        }
        long records = output.count();
        long length = (long) written.records() * width;
        long at = StoreFormat.RECORDS_AT + records * width;
        try {
            if (prefix <= this.prefix || prefix >= PREFIXES || records + written.records() > 0xFFFF_FFFFL || at + length > channel.size()) {
                return false;
            }
            // A range is a few MB at most (an answer is capped at 4 MiB of text): read once, checked, then counted in.
            if (length > MAX_TAKEN_BACK_BYTES) {
                return false;
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) length);
            while (bytes.hasRemaining()) {
                if (channel.read(bytes, at + bytes.position()) < 0) {
                    return false;
                }
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes.flip().duplicate());
            if ((int) crc.getValue() != written.crc()) {
                return false;
            }
            int[] large = written.overflow();
            for (int i = 0; i + 1 < large.length; i += 2) {
                if (large[i] < 0 || large[i] >= written.records() || large[i + 1] <= StoreFormat.MAX_INLINE_COUNT) {
                    return false;
                }
            }
            // The bytes are as written: the range goes back into the index, the checksum and the overflow table.
            beginRange(prefix);
            output.takeBack(bytes, written.records(), large);
            rangeEmpty = false;
            wholeRange = true;
            return true;
        } catch (IOException e) {
            throw new StoreException("cannot read " + temp + ": " + e.getMessage(), e);
        }
    }

    /**
     * Pushes what has been written so far to the device, so that {@link #commit()}'s sync finds only the tail to
     * write. Safe from another thread while ranges are written. Best effort: a device that cannot sync fails the
     * commit, which says so.
     */
    public void writeBack() {
        try {
            channel.force(false);
        } catch (IOException e) {
            // The commit syncs again, and reports it.
        }
    }

    /** After the ranges taken back: whatever the partial store holds past them is cut off, and writing goes on there. */
    public void continueAfterTakenBack() {
        try {
            long end = StoreFormat.RECORDS_AT + output.count() * width;
            channel.truncate(end);
            channel.position(end);
        } catch (IOException e) {
            throw new StoreException("cannot truncate " + temp + ": " + e.getMessage(), e);
        }
    }

    /** Abandons an uncommitted store: the partial store stays, with what was flushed of it, for the next run to take back. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            output.flush();
            channel.close();
        } catch (IOException e) {
            // Best effort: what was not flushed is fetched again by the next run.
        }
    }
}
