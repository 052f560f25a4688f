package org.homeiq.deploy.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.ExitCode;
import org.homeiq.deploy.health.GateOptions;
import org.homeiq.deploy.health.HttpHealthProbe;
import org.homeiq.deploy.health.Watcher;
import org.homeiq.deploy.health.LatencyBaseline;
import org.homeiq.deploy.health.ServiceHealth;
import org.homeiq.deploy.model.Deployment;
import org.homeiq.deploy.model.Durations;
import org.homeiq.deploy.model.Service;
import org.homeiq.deploy.model.Wave;
import org.homeiq.deploy.model.WaveMode;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.report.RunReport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code health-gate}: wait until services are healthy, or say exactly why they are not. */
@Command(name = "health-gate", mixinStandardHelpOptions = true,
        description = {"Wait until the selected services are healthy: HTTP health endpoint 2xx, container running,",
            "Docker health status (when it has a HEALTHCHECK), no restart for the stability window, optionally",
            "no error lines in the last log lines. All services are watched at once, every window in parallel. Exit 0 when all pass, 1 otherwise."})
public final class HealthGateCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    ProjectOptions project;

    @Mixin
    DockerOptions docker;

    @Mixin
    GateOverrides gate;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    @Option(names = "--baseline", paramLabel = "FILE",
            description = "Health-endpoint latencies to compare with (the plan's 'within 10%% of baseline'); see --save-baseline.")
    Path baseline;

    @Option(names = "--save-baseline", paramLabel = "FILE", converter = ReportPath.class,
            description = "Measure every healthy service's health-endpoint latency (median of 9) and write them here.")
    Path saveBaseline;

    @Option(names = "--latency-tolerance", paramLabel = "PERCENT",
            description = "Allowed slowdown vs --baseline (default: the gate's, else 10).")
    Integer latencyTolerance;

    @Override
    public Integer call() {
        Console console = main.console();
        DockerProject p = DockerProject.open(project, docker, console);
        Deployment d = p.deployment();
        List<Wave> waves = selection.waves(p, WaveMode.PARALLEL, gate.gateOr("deploy"));
        gate.validate(d.plan());
        if (latencyTolerance != null && latencyTolerance < 0) {
            throw new BadInputException("--latency-tolerance: must be 0 or more, got " + latencyTolerance);
        }
        LatencyBaseline base = baseline == null ? null : LatencyBaseline.read(baseline);
        p.requireInCompose(Selection.serviceNames(waves));
        p.connectForReading();

        RunReport report = new RunReport("health-gate " + selection.describe());
        console.line("health-gate: " + selection.describe() + " (project " + p.composeProject().name() + ", " + p.composeFile().path() + ")");
        // Every service is watched at once, each with its wave's gate: every window runs in parallel.
        Set<String> done = new HashSet<>();
        var services = new java.util.ArrayList<Service>();
        var waveOf = new java.util.HashMap<String, Wave>();
        var optionsOf = new java.util.HashMap<String, GateOptions>();
        for (Wave w : waves) {
            List<Service> ss = d.inventory().getAll(w.services()).stream().filter(s -> done.add(s.name())).toList();
            if (ss.isEmpty()) {
                continue;
            }
            GateOptions options = gate.forWave(d.plan(), w.gate()).withLatency(base, latencyTolerance, saveBaseline != null);
            console.line("wave " + w.id() + ": " + ss.size() + " service(s), " + options.describe());
            for (Service s : ss) {
                services.add(s);
                waveOf.put(s.name(), w);
                optionsOf.put(s.name(), options);
            }
        }
        var measured = new java.util.TreeMap<String, java.time.Duration>();
        List<ServiceHealth> results;
        try (p; var probe = new HttpHealthProbe(); var watcher = new Watcher(p.engine(), p.composeProject().name(), probe, console)) {
            results = watcher.gate(services, s -> optionsOf.get(s.name()));
        }
        for (ServiceHealth h : results) {
            report.add(h.service(), waveOf.get(h.service()).id()).health(h).elapsed(h.elapsed());
            if (h.latency() != null) {
                measured.put(h.service(), h.latency());
            }
            console.line(h.healthy()
                    ? "  ok   " + h.service() + ": healthy after " + Durations.format(h.timeToHealthy())
                    : "  FAIL " + h.service() + ": " + h.reason());
        }
        if (saveBaseline != null) {
            new LatencyBaseline(measured).write(saveBaseline);
            console.line("baseline: health-endpoint latency of %d service(s) written to %s", measured.size(), saveBaseline);
        }
        int code = report.failures().isEmpty() ? ExitCode.OK : ExitCode.CHECK_FAILED;
        report.finish(code);
        docker.publish(report, console);
        return code;
    }
}
