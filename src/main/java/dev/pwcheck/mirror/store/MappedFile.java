package dev.pwcheck.mirror.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A store file mapped read-only, whatever its kind: typed reads at file offsets and checksums over spans, which
 * every reader shares. Mappings are at most 2^30 bytes and overlap by a little, so no record or word read straddles
 * two of them.
 */
final class MappedFile {

    private static final int SEGMENT_SHIFT = 30;
    private static final long SEGMENT_MASK = (1L << SEGMENT_SHIFT) - 1;
    private static final int SEGMENT_OVERLAP = 64;

    final Path file;
    final Object identity;
    final long size;
    private final MappedByteBuffer[] segments;

    private MappedFile(Path file, Object identity, long size, MappedByteBuffer[] segments) {
        this.file = file;
        this.identity = identity;
        this.size = size;
        this.segments = segments;
    }

    static MappedFile map(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            long size = channel.size();
            int count = (int) Math.max(1, (size + SEGMENT_MASK) >>> SEGMENT_SHIFT);
            MappedByteBuffer[] segments = new MappedByteBuffer[count];
            for (int i = 0; i < count; i++) {
                long from = (long) i << SEGMENT_SHIFT;
                long length = Math.min(size - from, (1L << SEGMENT_SHIFT) + SEGMENT_OVERLAP);
                segments[i] = channel.map(FileChannel.MapMode.READ_ONLY, from, Math.max(0, length));
            }
            return new MappedFile(file, identityOf(attributes), size, segments);
        } catch (IOException e) {
            throw new StoreException("cannot open " + file + ": " + why(e), e);
        }
    }

    /** What went wrong, without the path again: the file system's messages are often the path alone. */
    static String why(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file (mirror sync or mirror import writes it)";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Identity of a file (inode, modification time, size): a changed value means a new store. */
    static Object identityOf(BasicFileAttributes attributes) {
        return Arrays.asList(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
    }

    byte byteAt(long at) {
        return segments[(int) (at >>> SEGMENT_SHIFT)].get((int) (at & SEGMENT_MASK));
    }

    short shortAt(long at) {
        return segments[(int) (at >>> SEGMENT_SHIFT)].getShort((int) (at & SEGMENT_MASK));
    }

    int intAt(long at) {
        return segments[(int) (at >>> SEGMENT_SHIFT)].getInt((int) (at & SEGMENT_MASK));
    }

    long longAt(long at) {
        return segments[(int) (at >>> SEGMENT_SHIFT)].getLong((int) (at & SEGMENT_MASK));
    }

    /** Copies {@code length} bytes from {@code from} into {@code into} at {@code to}. */
    void copy(long from, int length, byte[] into, int to) {
        long at = from;
        long end = from + length;
        int out = to;
        while (at < end) {
            int segment = (int) (at >>> SEGMENT_SHIFT);
            int offset = (int) (at & SEGMENT_MASK);
            int chunk = (int) Math.min(end - at, (1L << SEGMENT_SHIFT) - offset);
            segments[segment].get(offset, into, out, chunk);
            at += chunk;
            out += chunk;
        }
    }

    /** Adds {@code length} bytes from {@code from} to {@code crc}. */
    void update(CRC32C crc, long from, long length) {
        long at = from;
        long end = from + length;
        while (at < end) {
            int segment = (int) (at >>> SEGMENT_SHIFT);
            int offset = (int) (at & SEGMENT_MASK);
            int chunk = (int) Math.min(end - at, (1L << SEGMENT_SHIFT) - offset);
            ByteBuffer slice = segments[segment].duplicate();
            slice.position(offset).limit(offset + chunk);
            crc.update(slice);
            at += chunk;
        }
    }

    /** The checksum of {@code length} bytes from {@code from}. */
    int crcOf(long from, long length) {
        CRC32C crc = new CRC32C();
        update(crc, from, length);
        return (int) crc.getValue();
    }
}
