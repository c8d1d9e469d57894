package dev.pwcheck.mirror.cli;

import dev.pwcheck.mirror.store.MirrorStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "verify", mixinStandardHelpOptions = true, description = "Checks a store's layout and checksums and prints what it holds.")
final class VerifyCommand extends Subcommand {
    @CommandLine.Mixin
    StoreOptions store = new StoreOptions();

    @Override
    public Integer call() {
        describe(MirrorStore.open(store.store(), true), out());
        return 0;
    }
}
