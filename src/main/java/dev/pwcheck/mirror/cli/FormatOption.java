package dev.pwcheck.mirror.cli;

import dev.pwcheck.mirror.store.StoreFormat;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --format full|compact} for the commands that write a store from the corpus. */
final class FormatOption {
    @Option(names = "--format", defaultValue = "full", paramLabel = "full|compact|filter", converter = KindConverter.class,
            description = "full: whole hashes, ~19 bytes a hash, also serves /range. compact: the first 64 bits of each hash,"
                    + " ~7 bytes a hash; a clean password is reported breached with probability about 1e-10 a check."
                    + " filter: a binary fuse filter, ~2.3 bytes a hash, no counts; a miss is certain, a hit is wrong about"
                    + " once in 65,536 (built from a compact store, which sync keeps in DIR/.filter-source) (default: ${DEFAULT-VALUE}).")
    StoreFormat.Kind kind;

    @Option(names = "--min-count", defaultValue = "1", paramLabel = "N",
            description = "With --format filter: only hashes seen at least N times go in; a hit then answers N, a lower bound"
                    + " (default: ${DEFAULT-VALUE}).")
    int minCount;

    /** The kind the corpus is written as first: a filter is built from a compact store. */
    StoreFormat.Kind written() {
        return kind == StoreFormat.Kind.FILTER ? StoreFormat.Kind.COMPACT : kind;
    }

    static final class KindConverter implements CommandLine.ITypeConverter<StoreFormat.Kind> {
        @Override
        public StoreFormat.Kind convert(String value) {
            for (StoreFormat.Kind kind : StoreFormat.Kind.values()) {
                if (kind.wire().equalsIgnoreCase(value.trim())) {
                    return kind;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not full, compact or filter");
        }
    }
}
