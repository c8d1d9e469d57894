package dev.pwcheck.mirror.sync;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pwcheck.format.HashMode;
import dev.pwcheck.format.RangeParser;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.mirror.store.StoreWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sync journal as a kill, a power cut or a bad disk leaves it: three good entries (a range, a 304, a range in the
 * partial store) followed by any bytes, or (an input whose first byte is odd) any bytes alone. Opening it keeps what is
 * intact and cuts off the rest, never failing; every entry it then says it has reads back; the ETag index beside a
 * store, with any bytes under a valid checksum, is read or ignored, never failing.
 */
class JournalFuzzTest {

    static final byte[] RANGE = "0000000000000000000000000000000000A:12\r\n0000000000000000000000000000000000B:5000\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    static final Path STORE_DIR;
    static final MirrorStore STORE;

    static {
        try {
            STORE_DIR = Files.createTempDirectory("pwcheck-etags-fuzz");
            StoreWriter writer = new StoreWriter(STORE_DIR.resolve("sha1.pwstore"), HashMode.SHA1);
            writer.beginRange(0x5BAA6);
            STORE = MirrorStore.open(writer.commit(), true);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void etagIndex(byte[] entries) throws IOException {
        // The index's own framing around the input, its checksum right, so that the entries themselves are what is read.
        java.nio.ByteBuffer file = java.nio.ByteBuffer.allocate(8 + 8 + entries.length + 4);
        file.put("PWETAGS1".getBytes(StandardCharsets.US_ASCII)).putLong(STORE.createdAt().toEpochMilli()).put(entries);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(file.array(), 0, file.position());
        file.putInt((int) crc.getValue());
        Files.write(EtagIndex.fileFor(STORE.file()), file.array());
        EtagIndex index = EtagIndex.readFor(STORE);
        assertTrue(index.entries() >= 0 && index.entries() <= StoreFormat.PREFIXES);
        for (int prefix = 0; prefix < StoreFormat.PREFIXES; prefix++) {
            String etag = index.get(prefix);
            assertTrue(etag == null || !etag.isEmpty() && etag.length() <= 128 && etag.chars().allMatch(c -> c >= 0x20 && c < 0x7f),
                    "an ETag kept is one the service would send");
        }
    }

    @FuzzTest(maxDuration = "60s")
    void journalFile(byte[] tail) throws IOException {
        Path dir = Files.createTempDirectory("pwcheck-journal-fuzz");
        Path file = dir.resolve("sha1.journal");
        try {
            if (tail.length > 0 && (tail[0] & 1) == 1) {
                Files.write(file, tail);
            } else {
                try (SyncJournal journal = SyncJournal.open(file, HashMode.SHA1)) {
                    journal.append(0x00000, new RangeParser(HashMode.SHA1, 1 << 20, 1000).parse(RANGE), "\"etag-1\"");
                    journal.appendNotModified(0x5BAA6, "W/\"etag-2\"");
                    journal.appendStored(0xFFFFF, "\"etag-3\"", new StoreWriter.WrittenRange(2, 22, 12345, new int[] { 1, 5000 }));
                }
                Files.write(file, tail, java.nio.file.StandardOpenOption.APPEND);
            }
            try (SyncJournal journal = SyncJournal.open(file, HashMode.SHA1)) {
                assertTrue(journal.entries() <= StoreFormat.PREFIXES);
                for (int prefix = 0; prefix < StoreFormat.PREFIXES; prefix++) {
                    if (journal.hasRange(prefix)) {
                        assertNotNull(journal.read(prefix), "an entry the journal kept reads back");
                    }
                    if (journal.isStored(prefix)) {
                        assertNotNull(journal.stored(prefix), "a stored entry the journal kept reads back");
                    }
                }
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
