package dev.pwcheck.mirror.cli;

import dev.pwcheck.mirror.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code java -jar quarkus-run.jar mirror <sync|import|export|top|verify> ...}: builds, checks and exports the offline
 * mirror. Runs without starting the service (no HTTP port, no Quarkus runtime), so it can run beside a live replica
 * that picks the new store up when it lands. Exit status: 0 done, 1 failed (the message says why), 2 bad usage
 * (an unknown option, a missing or malformed value: one line saying which, then the command's usage).
 */
@Command(name = "mirror", mixinStandardHelpOptions = true, version = "pwcheck mirror 1.0",
        description = "Builds, checks and exports the offline copy of the Pwned Passwords corpus the service can answer from.",
        subcommands = { SyncCommand.class, ImportCommand.class, ExportCommand.class, TopCommand.class, VerifyCommand.class,
                CommandLine.HelpCommand.class },
        footer = { "", "Exit status: 0 done, 1 failed, 2 bad usage. 'mirror COMMAND --help' describes each command." })
public final class MirrorCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Where the commands write: results to {@code out}, progress and errors to {@code err}. */
    private final PrintStream out;
    private final PrintStream err;

    private MirrorCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** @return the process exit status: 0 done, 1 failed, 2 bad usage */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new MirrorCommand(out, err))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((failure, command, parsed) -> {
            if (failure instanceof ParameterException usage) {
                throw usage; // picocli prints it with the usage and exits 2
            }
            String name = command.getCommandName();
            if (failure instanceof StoreException || failure instanceof IOException || failure instanceof java.io.UncheckedIOException) {
                command.getErr().println("mirror " + name + " failed: " + failure.getMessage());
                return 1;
            }
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                command.getErr().println("mirror " + name + " interrupted");
                return 1;
            }
            throw failure;
        });
        return cli.execute(args);
    }

    /** {@code mirror} alone: the overview, and bad usage (a command is needed). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }
}
