package dev.pwcheck.mirror.sync;

import dev.pwcheck.hash.Hex;
import dev.pwcheck.mirror.store.MirrorStore;
import dev.pwcheck.mirror.store.StoreException;
import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.mirror.store.StoreWriter;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The store a sync refreshes, if the directory holds one it can: every range it holds is asked with
 * {@code If-None-Match} on the ETag it was stored with ({@link EtagIndex}), and a range answered 304 is copied from it
 * as it is stored there.
 */
final class RefreshedStore {

    /** A first sync: nothing to refresh. */
    static final RefreshedStore NONE = new RefreshedStore(null, new EtagIndex());

    private final MirrorStore store;
    private final EtagIndex etags;

    private RefreshedStore(MirrorStore store, EtagIndex etags) {
        this.store = store;
        this.etags = etags;
    }

    /** The store to refresh in {@code dir}: one of the same corpus and kind that opens and checks clean, else none. */
    static RefreshedStore in(Path dir, RangeSync.Settings settings, PrintStream log) {
        Path existing = dir.resolve(StoreFormat.fileName(settings.mode()));
        if (!Files.isRegularFile(existing)) {
            return NONE;
        }
        try {
            MirrorStore store = MirrorStore.open(existing, true);
            if (store.mode() != settings.mode() || store.kind() != settings.kind() || store.subset()) {
                log.println("The store in " + dir + " is of another kind; this sync fetches every range whole");
                return NONE;
            }
            return new RefreshedStore(store, EtagIndex.readFor(store));
        } catch (StoreException e) {
            log.println("The store in " + dir + " cannot be refreshed (" + e.getMessage() + "); this sync fetches every range whole");
            return NONE;
        }
    }

    boolean present() {
        return store != null;
    }

    MirrorStore store() {
        return store;
    }

    int etagCount() {
        return etags.entries();
    }

    /** The ETag to ask {@code If-None-Match} with for {@code prefix}, or null: the range is fetched whole. */
    String etagFor(int prefix) {
        return store != null && store.holds(prefix) ? etags.get(prefix) : null;
    }

    /** Copies the range of {@code prefix} from the store being refreshed, as it is stored there. */
    StoreWriter.WrittenRange copy(int prefix, StoreWriter writer) {
        if (store == null || !store.holds(prefix)) {
            throw new StoreException("range " + Hex.prefix(prefix)
                    + " was answered 304 but the store being refreshed no longer holds it; remove the journal and sync again");
        }
        return writer.copyRange(store, prefix);
    }
}
