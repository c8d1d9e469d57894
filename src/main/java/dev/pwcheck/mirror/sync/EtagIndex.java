package dev.pwcheck.mirror.sync;

import dev.pwcheck.mirror.store.StoreFiles;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.mirror.store.StoreWriter;
import dev.pwcheck.format.RangeValidator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The upstream's ETag of every range a synced store holds, kept beside it ({@code sha1.pwstore.etags}) so that the next
 * {@code mirror sync} into the same directory asks each range with {@code If-None-Match} and takes a 304 instead of
 * the range again. It names the store it belongs to by the store's creation time: beside any other store (one
 * imported since, say) it is ignored, and that refresh is a full sync.
 *
 * <pre>
 * magic "PWETAGS1", the store's created-at (long), entries (int), then per entry: prefix (int), length (byte), ETag
 * (ASCII), and a CRC-32C of everything before it
 * </pre>
 */
final class EtagIndex {

    private static final byte[] MAGIC = "PWETAGS1".getBytes(StandardCharsets.US_ASCII);

    private final String[] etags = new String[StoreFormat.PREFIXES];
    private int entries;

    static Path fileFor(Path store) {
        return store.resolveSibling(store.getFileName() + ".etags");
    }

    void put(int prefix, String etag) {
        String usable = etag == null ? null : RangeValidator.of(etag, null).etag();
        if (etags[prefix] == null && usable != null) {
            entries++;
        } else if (etags[prefix] != null && usable == null) {
            entries--;
        }
        etags[prefix] = usable;
    }

    /** The ETag the range of {@code prefix} was stored with, or null. */
    String get(int prefix) {
        return etags[prefix];
    }

    int entries() {
        return entries;
    }

    /** The index kept beside {@code store}, or an empty one when there is none, or it belongs to another store or is damaged. */
    static EtagIndex readFor(MirrorStore store) {
        EtagIndex index = new EtagIndex();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(fileFor(store.file()));
        } catch (NoSuchFileException e) {
            return index;
        } catch (IOException e) {
            return index;
        }
        if (bytes.length < MAGIC.length + 16) {
            return index;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != in.getInt(bytes.length - 4)) {
            return index;
        }
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC) || in.getLong() != store.createdAt().toEpochMilli()) {
            return index;
        }
        int count = in.getInt();
        try {
            for (int i = 0; i < count; i++) {
                int prefix = in.getInt();
                byte[] etag = new byte[in.get() & 0xff];
                in.get(etag);
                if (prefix >= 0 && prefix < StoreFormat.PREFIXES) {
                    index.put(prefix, new String(etag, StandardCharsets.US_ASCII));
                }
            }
        } catch (java.nio.BufferUnderflowException e) {
            return new EtagIndex();
        }
        return index;
    }

    /** Writes the index for {@code store} beside it, atomically. */
    void writeFor(MirrorStore store) throws IOException {
        int size = MAGIC.length + 8 + 4 + 4;
        for (String etag : etags) {
            size += etag == null ? 0 : 5 + etag.length();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(MAGIC).putLong(store.createdAt().toEpochMilli()).putInt(entries);
        for (int p = 0; p < etags.length; p++) {
            if (etags[p] != null) {
                byte[] etag = etags[p].getBytes(StandardCharsets.US_ASCII);
                out.putInt(p).put((byte) etag.length).put(etag);
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        Path target = fileFor(store.file());
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.write(temp, out.array());
        StoreFiles.replace(temp, target);
    }
}
