package org.homeiq.deploy.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.ExitCode;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.report.RunReport;
import org.homeiq.deploy.report.StepResult;
import org.homeiq.deploy.secrets.Masker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

    @Option(names = "--result", paramLabel = "FILE",
            description = {"Before the command: write the outcome here as JSON for every exit (exit code, one-line"
                + " outcome, failure text, what failed, report paths); the pipeline steps read only this."})
    Path result;

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
        String[] lastLine = {null};
        String[] error = {null};
        // The console's lines also pass by here: the last one is the outcome of a command without a report.
        PrintStream tee = ConsoleOutput.of(line -> {
            lastLine[0] = line;
            out.println(line);
            out.flush();
        });
        String[] lastError = {null};
        PrintStream errTee = ConsoleOutput.of(line -> {
            lastError[0] = line;
            err.println(line);
            err.flush();
        });
        Console console = new Console(tee, errTee, masker);
        CommandLine cl = commandLine(console, args);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        CommandLine[] failed = {null};
        cl.setParameterExceptionHandler((ex, arguments) -> {
            error[0] = ex.getMessage();
            failed[0] = ex.getCommandLine();
            console.error("error: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, cl.getErr());
            console.error("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for the options.");
            return ExitCode.BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            error[0] = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            return exitCodeFor(ex, console);
        });
        int code;
        try {
            code = cl.execute(args);
        } finally {
            ((Main) cl.getCommand()).releaseHeld();
        }
        Path resultFile = ((Main) cl.getCommand()).result;
        if (resultFile != null) {
            writeResult(cl, failed[0], code, error[0], code == ExitCode.OK || lastError[0] == null ? lastLine[0] : lastError[0],
                    resultFile, console);
        }
        return code;
    }

    /** The result file, and the --json a run that stopped early was asked for. */
    private static void writeResult(CommandLine cl, CommandLine unparsed, int code, String error, String lastLine, Path file,
            Console console) {
        CommandLine.ParseResult pr = cl.getParseResult();
        CommandLine.ParseResult sub = pr == null ? null : pr.subcommand();
        while (sub != null && sub.hasSubcommand()) {
            sub = sub.subcommand();
        }
        CommandLine.Model.CommandSpec spec = sub != null ? sub.commandSpec() : unparsed != null ? unparsed.getCommandSpec() : null;
        String command = spec == null ? "homeiq-deploy" : spec.qualifiedName(" ").replaceFirst("^homeiq-deploy ?", "");
        command = command.isEmpty() ? "homeiq-deploy" : command;
        RunReport report = null;
        Path json = null;
        Path junit = null;
        if (sub != null) {
            for (CommandLine.Model.CommandSpec mixin : sub.commandSpec().mixins().values()) {
                if (mixin.userObject() instanceof DockerOptions d) {
                    if (code != ExitCode.OK) {
                        d.publishUnfinished(command, code, console);
                    }
                    report = d.published;
                }
            }
            json = written(sub.matchedOptionValue("--json", (Path) null));
            junit = written(sub.matchedOptionValue("--junit", (Path) null));
        }
        new StepResult(command, code, report, code == ExitCode.OK ? null : error, lastLine, json, junit)
                .write(file, console.masker());
    }

    private static Path written(Path report) {
        return report != null && Files.isRegularFile(report) ? report : null;
    }

    /**
     * The command tree for these arguments. picocli reflects over every registered command when the
     * tree is built, so when the first argument names a command only that one is registered: the
     * CLI starts in half the time. Otherwise (help, a typo) all are, for the listing and suggestions.
     */
    public static CommandLine commandLine(Console console, String... args) {
        CommandLine cl = new CommandLine(new Main(console));
        // A leading --result FILE belongs to the top level; the command is the word after it.
        int at = args.length > 1 && args[0].equals("--result") ? 2 : args.length > 0 && args[0].startsWith("--result=") ? 1 : 0;
        String first = args.length > at ? args[at] : "";
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
