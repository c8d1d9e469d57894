package dev.pwcheck;

import dev.pwcheck.mirror.MirrorCommand;
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
        if (args.length > 0 && args[0].equals("mirror")) {
            System.exit(MirrorCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        Quarkus.run(args);
    }
}
