package dev.pwcheck;

import dev.pwcheck.mirror.cli.MirrorCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.util.Arrays;

/**
 * One artifact, two uses: with no arguments it is the service; {@code mirror ...} runs the mirror tool and exits,
 * without starting the service.
 */
@QuarkusMain
public final class Main {

    Main() {
    }

    public static void main(String... args) {
        // Container entrypoints put -D settings first (the native image's ENTRYPOINT does); they are not the command.
        int first = 0;
        while (first < args.length && args[first].startsWith("-D")) {
            first++;
        }
        if (first < args.length && args[first].equals("mirror")) {
            System.exit(MirrorCommand.run(Arrays.copyOfRange(args, first + 1, args.length), System.out, System.err));
        }
        Quarkus.run(args);
    }
}
