package org.homeiq.deploy.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.ExitCode;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.secrets.Masker;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar homeiq-deploy.jar <command> [options]}: the one entry point of the engine. */
@Command(
        name = "homeiq-deploy",
        mixinStandardHelpOptions = true,
        versionProvider = EngineVersion.class,
        description = "Rebuild, deploy, health-check and roll back HomeIQ's Docker Compose services.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done, every check passed",
            "1:the operation ran and failed its check",
            "2:bad input (file, option, service name); nothing was changed",
            "3:environment problem (Docker missing or down, disk full, the stack locked by another run)",
            "4:internal error of the engine (a bug: please report it with the output)"
        })
public final class Main implements Runnable {
    /** The commands, in the order --help lists them. */
    static final List<Class<?>> COMMANDS = List.of(
            PlanCommand.class,
            ValidateCommand.class,
            BackupCommand.class,
            RebuildWaveCommand.class,
            HealthGateCommand.class,
            RollbackCommand.class,
            DotenvCommand.class,
            DemoCommand.class);

    private final Console console;
    private final List<AutoCloseable> held = new java.util.ArrayList<>();

    public Main(Console console) {
        this.console = console;
    }

    public Console console() {
        return console;
    }

    /** Held until the command returns, however it returns (the stack lock). */
    void holdUntilExit(AutoCloseable resource) {
        held.add(0, resource);
    }

    private void releaseHeld() {
        for (AutoCloseable r : held) {
            try {
                r.close();
            } catch (Exception e) {
                console.error("warning: releasing " + r + ": " + e.getMessage());
            }
        }
        held.clear();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                new CommandLine(this), "Missing command: try 'homeiq-deploy --help'.");
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs one command with the given streams; returns the exit code. Tests call this directly. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        Masker masker = new Masker();
        Console console = new Console(out, err, masker);
        CommandLine cl = commandLine(console, args);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, arguments) -> {
            console.error("error: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, cl.getErr());
            console.error("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for the options.");
            return ExitCode.BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> exitCodeFor(ex, console));
        try {
            return cl.execute(args);
        } finally {
            ((Main) cl.getCommand()).releaseHeld();
        }
    }

    /**
     * The command tree for these arguments. picocli reflects over every registered command when the
     * tree is built, so when the first argument names a command only that one is registered: the
     * CLI starts in half the time. Otherwise (help, a typo) all are, for the listing and suggestions.
     */
    public static CommandLine commandLine(Console console, String... args) {
        CommandLine cl = new CommandLine(new Main(console));
        String first = args.length > 0 ? args[0] : "";
        boolean named = COMMANDS.stream().anyMatch(c -> nameOf(c).equals(first));
        for (Class<?> c : COMMANDS) {
            if (!named || nameOf(c).equals(first)) {
                cl.addSubcommand(c);
            }
        }
        return cl;
    }

    private static String nameOf(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    static int exitCodeFor(Exception ex, Console console) {
        if (ex instanceof BadInputException) {
            console.error("error: " + ex.getMessage());
            return ExitCode.BAD_INPUT;
        }
        if (ex instanceof EnvironmentException) {
            console.error("environment error: " + ex.getMessage());
            return ExitCode.ENVIRONMENT;
        }
        // A bug of ours: say so plainly and keep the trace for the report.
        java.io.StringWriter trace = new java.io.StringWriter();
        ex.printStackTrace(new PrintWriter(trace));
        console.error("internal error: " + ex + System.lineSeparator() + trace);
        return ExitCode.INTERNAL;
    }
}
