package org.homeiq.deploy.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.ExitCode;
import org.homeiq.deploy.health.HttpHealthProbe;
import org.homeiq.deploy.health.Watcher;
import org.homeiq.deploy.model.Deployment;
import org.homeiq.deploy.model.Wave;
import org.homeiq.deploy.model.WaveMode;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.report.RunReport;
import org.homeiq.deploy.wave.FailurePolicy;
import org.homeiq.deploy.wave.Journal;
import org.homeiq.deploy.wave.Rollout;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rebuild-wave}: rebuild, redeploy and gate a wave, rolling back what fails. */
@Command(name = "rebuild-wave", mixinStandardHelpOptions = true,
        description = {"Rebuild and redeploy the selected services wave by wave: journal and restore-point tag first,",
            "images built ahead of their turn, then up -d --no-deps and the health gate. The next service goes as soon",
            "as this one is healthy; stability windows run on in the background and the run ends when all have passed.",
            "Official images (rebuilt: false) are only restarted and gated. A failed service (and what depends on it",
            "and was deployed after it) is rolled back to its restore point by default and the run stops (exit 1)."})
public final class RebuildWaveCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    ProjectOptions project;

    @Mixin
    DockerOptions docker;

    @Mixin
    GateOverrides gate;

    @Mixin
    LockOptions lock;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    @Option(names = "--mode", paramLabel = "sequential|parallel",
            description = "Override the waves' mode (default: the plan's; sequential for --services).")
    String mode;

    @Option(names = "--max-parallel", paramLabel = "N",
            description = "Deploys in flight at once in a parallel wave, from up until healthy (default: no bound, every service of the wave).")
    Integer maxParallel;

    @Option(names = "--max-builds", paramLabel = "N",
            description = "Images built at once, ahead of their deploy slot (default: the CPU count, ${DEFAULT-VALUE}).")
    int maxBuilds = Runtime.getRuntime().availableProcessors();

    @Option(names = "--no-cache", description = "Build without the layer cache.")
    boolean noCache;

    @Option(names = "--on-failure", paramLabel = "rollback|stop|continue", converter = FailurePolicy.Converter.class,
            description = "What to do with a service that fails: rollback (default), stop, continue.")
    FailurePolicy onFailure = FailurePolicy.ROLLBACK;

    @Option(names = "--label", paramLabel = "LABEL", defaultValue = "pre-rebuild",
            description = "Restore-point tag made from each service's current image (default: ${DEFAULT-VALUE}).")
    String label;

    @Override
    public Integer call() {
        Console console = main.console();
        DockerProject p = DockerProject.open(project, docker, console);
        Deployment d = p.deployment();
        WaveMode modeOverride = parseMode(mode);
        List<Wave> waves = selection.waves(p, modeOverride == null ? WaveMode.SEQUENTIAL : modeOverride, gate.gateOr("deploy"));
        gate.validate(d.plan());
        if (maxParallel != null && maxParallel < 1) {
            throw new BadInputException("--max-parallel: must be 1 or more, got " + maxParallel);
        }
        if (maxBuilds < 1) {
            throw new BadInputException("--max-builds: must be 1 or more, got " + maxBuilds);
        }
        requireTag(label);
        List<String> names = Selection.serviceNames(waves);
        p.requireInCompose(names);
        p.connect();
        lock.hold(main, p.stateDir(), "rebuild-wave " + selection.describe());

        Journal journal = Journal.start(p.stateDir(), "rebuild-wave " + selection.describe(), names, label, console.masker());
        RunReport report = new RunReport("rebuild-wave " + selection.describe());
        report.runId(journal.runId());
        console.line("rebuild-wave: %s, %d wave(s), %d service(s); run %s, journal %s", selection.describe(), waves.size(),
                names.size(), journal.runId(), journal.file());
        console.line("  on failure: %s; restore points tagged :%s; roll back this run later with: rollback --journal %s",
                onFailure.label(), label, journal.runId());
        var steps = new java.util.ArrayList<Rollout.Step>();
        for (Wave w : waves) {
            steps.add(new Rollout.Step(w, modeOverride != null ? modeOverride : w.mode(), d.inventory().getAll(w.services()),
                    gate.forWave(d.plan(), w.gate())));
        }
        var settings = new Rollout.Settings(noCache, onFailure, maxParallel, maxBuilds, label);
        boolean ok;
        try (p; var probe = new HttpHealthProbe();
                var watcher = new Watcher(p.engine(), p.composeProject().name(), probe, console)) {
            ok = new Rollout(p.engine(), p.composeProject(), p.composeFile(), watcher, console, journal, report, settings).run(steps);
        }
        int code = ok ? ExitCode.OK : ExitCode.CHECK_FAILED;
        journal.end(code);
        report.finish(code);
        docker.publish(report, console);
        return code;
    }

    static WaveMode parseMode(String mode) {
        if (mode == null) {
            return null;
        }
        for (WaveMode m : WaveMode.values()) {
            if (m.label().equals(mode.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new BadInputException("--mode: '" + mode + "' is not one of sequential, parallel");
    }

    /** Docker's tag grammar: what we tag must be accepted before anything is touched. */
    static void requireTag(String label) {
        if (!label.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
            throw new BadInputException("--label: '" + label + "' is not a valid image tag (letters, digits, _ . -; at most 128; not starting with . or -)");
        }
    }
}
