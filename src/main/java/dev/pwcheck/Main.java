package dev.pwcheck;

import dev.pwcheck.mirror.cli.MirrorCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * One artifact, two uses: with no arguments it is the service; {@code mirror ...} runs the mirror tool and exits,
 * without starting the service. {@code --help} says so and starts nothing; any other argument is refused, so that a
 * mistyped command never starts a production service instead.
 */
@QuarkusMain
public final class Main {

    static final List<String> HELP = List.of("--help", "-h", "help");

    static final String USAGE = """
            Usage: java [-Dkey=value ...] -jar quarkus-run.jar [mirror COMMAND ... | --help]

            With no arguments: the pwcheck service, answering
              POST /v1/passwords/check and GET /range/{prefix} on quarkus.http.port (8080), and
              health (/q/health) and metrics (/q/metrics) on quarkus.management.port (9000).
            Its main keys, as -Dkey=value or as environment variables (PWCHECK_UPSTREAM_URL, ...):
              pwcheck.upstream.url          the range API (default https://api.pwnedpasswords.com)
              pwcheck.source                upstream (default), mirror or mirror-then-upstream
              pwcheck.mirror.dir            the store directory that mirror sync or mirror import writes
              pwcheck.fallback.dir          a store of the most-seen hashes, answering through an upstream outage
              pwcheck.auth.api-key-hashes   the callers' keys (name:sha256hex,...); unset: no caller authentication
              pwcheck.min-count             the breach threshold (default 1); per flow: pwcheck.flows.<flow>.*
              pwcheck.rate-limit.*          per-client and per-caller rate limits
            Every key, with its default, is in docs/configuration.md.

            mirror COMMAND: the offline mirror tool; runs and exits without starting the service.
            """;

    Main() {
    }

    public static void main(String... args) {
        // Container entrypoints put -D settings first (the native image's ENTRYPOINT does); they are not the command.
        int first = 0;
        while (first < args.length && args[first].startsWith("-D")) {
            first++;
        }
        if (first < args.length) {
            String command = args[first];
            if (command.equals("mirror")) {
                System.exit(MirrorCommand.run(Arrays.copyOfRange(args, first + 1, args.length), System.out, System.err));
            }
            System.exit(HELP.contains(command) ? help(System.out) : refuse(command, System.err));
        }
        Quarkus.run(args);
    }

    /** What the jar runs: the service and its main keys, then the mirror tool's commands. */
    static int help(PrintStream out) {
        out.print(USAGE);
        MirrorCommand.run(new String[] { "--help" }, out, out);
        return 0;
    }

    static int refuse(String argument, PrintStream err) {
        // Quoted only when it is a plain word: a mistyped password is not worth echoing to a terminal log.
        // Nor an option's value: --quarkus.redis.password=... must not reach a container log.
        String shown = argument.matches("[A-Za-z0-9_.-]{1,40}") ? "'" + argument + "'" : "(an argument)";
        err.println("Unknown argument " + shown + ": run with no arguments for the service, 'mirror COMMAND' for the mirror"
                + " tool, or --help.");
        return 2;
    }
}
