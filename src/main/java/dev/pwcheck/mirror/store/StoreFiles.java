package dev.pwcheck.mirror.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** How every file the mirror writes reaches the disk: whole writes, an atomic rename into place, a durable rename. */
public final class StoreFiles {

    private StoreFiles() {
    }

    /** Writes all of {@code bytes} at {@code at}. */
    public static void writeFully(FileChannel channel, ByteBuffer bytes, long at) throws IOException {
        long position = at;
        while (bytes.hasRemaining()) {
            position += channel.write(bytes, position);
        }
    }

    /**
     * Renames the complete, synced {@code temp} over {@code target} in one step and makes the rename durable; a file
     * system that cannot rename atomically is refused, since the service could otherwise load half a file.
     */
    public static void replace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new StoreException("the file system of " + target.getParent() + " cannot rename atomically", e);
        }
        syncDirectory(target.getParent());
    }

    /** Makes the rename itself durable: without it a power cut can bring back the old directory entry. */
    public static void syncDirectory(Path dir) {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open a directory; the rename is still atomic, only its durability is weaker.
        }
    }
}
