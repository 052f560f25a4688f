package org.homeiq.deploy.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.homeiq.deploy.ExitCode;
import org.homeiq.deploy.model.Deployment;
import org.homeiq.deploy.model.Stage;
import org.homeiq.deploy.report.PlanReport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code plan}: what a day, a phase or everything will do, before anything is done. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what a deployment day, a rebuild phase, or the whole plan will do: waves in order,",
            "mode, services in order, gates and the time budget. Changes nothing."})
public final class PlanCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    ProjectOptions project;

    @ArgGroup(exclusive = true)
    Scope scope;

    static final class Scope {
        @Option(names = "--day", paramLabel = "N", description = "One deployment day (1-5).")
        Integer day;

        @Option(names = "--phase", paramLabel = "N", description = "One rebuild phase (0-4).")
        Integer phase;

        @Option(names = "--all", description = "Every phase and day (the default).")
        boolean all;
    }

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "Output for people (text) or machines (json). Default: ${DEFAULT-VALUE}.")
    Format format;

    enum Format { text, json }

    @Option(names = "--max-parallel", paramLabel = "N",
            description = "Deploys in flight at once in a parallel wave, as rebuild-wave will run it (default: no bound, every service of the wave).")
    Integer maxParallel;

    @Override
    public Integer call() {
        Deployment d = project.deployment();
        List<Stage> stages;
        if (scope != null && scope.day != null) {
            stages = List.of(d.plan().day(scope.day));
        } else if (scope != null && scope.phase != null) {
            stages = List.of(d.plan().phase(scope.phase));
        } else {
            stages = d.plan().stages();
        }
        if (maxParallel != null && maxParallel < 1) {
            throw new org.homeiq.deploy.BadInputException("--max-parallel: must be 1 or more, got " + maxParallel);
        }
        PlanReport report = new PlanReport(d, stages, maxParallel);
        if (format == Format.json) {
            main.console().line(report.json());
        } else {
            report.text().forEach(main.console()::line);
        }
        return ExitCode.OK;
    }
}
