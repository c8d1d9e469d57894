package dev.pwcheck.mirror.cli;

import dev.pwcheck.mirror.store.StoreFormat;
import dev.pwcheck.format.HashMode;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options every command that reads or writes a store takes. */
final class StoreOptions {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The store directory (holds sha1.pwstore, ntlm.pwstore).")
    Path dir;

    @Option(names = "--mode", defaultValue = "sha1", paramLabel = "sha1|ntlm", description = "The corpus: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            converter = ModeConverter.class, completionCandidates = Modes.class)
    HashMode mode;

    Path store() {
        return dir.resolve(StoreFormat.fileName(mode));
    }

    static final class Modes extends java.util.ArrayList<String> {
        Modes() {
            super(java.util.List.of("sha1", "ntlm"));
        }
    }

    static final class ModeConverter implements CommandLine.ITypeConverter<HashMode> {
        @Override
        public HashMode convert(String value) {
            return HashMode.fromWire(value).orElseThrow(() -> new CommandLine.TypeConversionException("'" + value + "' is not sha1 or ntlm"));
        }
    }
}
