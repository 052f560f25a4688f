package org.homeiq.deploy.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.ExitCode;
import org.homeiq.deploy.docker.ImageInfo;
import org.homeiq.deploy.docker.ImageRef;
import org.homeiq.deploy.health.HttpHealthProbe;
import org.homeiq.deploy.health.Watcher;
import org.homeiq.deploy.health.ServiceHealth;
import org.homeiq.deploy.model.Deployment;
import org.homeiq.deploy.model.Durations;
import org.homeiq.deploy.model.Service;
import org.homeiq.deploy.model.Wave;
import org.homeiq.deploy.model.WaveMode;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.report.RunReport;
import org.homeiq.deploy.rollback.ServiceRollback;
import org.homeiq.deploy.wave.Journal;
import org.homeiq.deploy.wave.ServiceImage;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code rollback}: put services back on their restore-point images and gate them. The source is
 * one member of {@link Source}: a wave's journal, a restore-point label, or a backup (whose
 * restore is {@link BackupRollback}'s, including volumes).
 */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Put services back on their restore-point images: the failed image is kept as failed-<time>,",
            "the restore point is tagged back, the service is redeployed with up -d --no-deps (no build) and gated.",
            "From a wave's journal (every service that run touched), a restore-point label, or a backup (--backup ID,",
            "with --restore-volumes its volumes too, verified before anything is touched). Safe to run twice."})
public final class RollbackCommand implements Callable<Integer> {
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
    Source source;

    @Mixin
    BackupDestination backups;

    @Option(names = "--helper-image", paramLabel = "IMAGE", defaultValue = "busybox:latest", converter = DockerNames.Image.class,
            description = "With --restore-volumes: image of the short-lived container that writes the volumes (default: ${DEFAULT-VALUE}).")
    String helperImage;

    /** Where the images to go back to come from. */
    static final class Source {
        @Option(names = "--journal", arity = "0..1", fallbackValue = "latest", paramLabel = "RUN-ID|latest",
                description = "Undo a rebuild-wave run: every service it touched (default: the latest run).")
        String journal;

        @Option(names = "--build", paramLabel = "TAG",
                description = "Undo every rebuild-wave run of Jenkins build TAG (its BUILD_TAG), newest first: only services"
                        + " that run something other than their restore point; none → 'nothing to roll back', exit 0.")
        String build;

        @ArgGroup(exclusive = false)
        LabelSource label;
    }

    /** {@code --label L} or {@code --backup ID}, with a selection of services. */
    static final class LabelSource {
        @ArgGroup(exclusive = true, multiplicity = "1")
        RestorePoint point;

        @Option(names = "--restore-volumes",
                description = "With --backup: also put the services' volumes back to the backup's content (verified first).")
        boolean restoreVolumes;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Selection selection;
    }

    /** Where the restore points are: tags with a label, or a backup's manifest. */
    static final class RestorePoint {
        @Option(names = "--label", paramLabel = "LABEL",
                description = "Go back to the images tagged :LABEL (e.g. pre-rebuild) for the selected services.")
        String label;

        @Option(names = "--backup", paramLabel = "ID",
                description = "Go back to what backup ID recorded (see 'backup list'): its restore-point images, "
                        + "and with --restore-volumes its volumes. --all: every service it has a restore point for.")
        String backup;
    }

    /** One service to put back: its image reference and the image id to go back to (null: nothing to restore). */
    record Target(String service, String wave, String imageRef, String restoreId, String gate, String note) {
    }

    @Override
    public Integer call() {
        // A thin switch over the modes; each finds its bad input before Docker is contacted.
        if (source.journal != null) {
            return fromJournal(source.journal);
        }
        if (source.build != null) {
            return BuildRollback.run(this, source.build);
        }
        if (source.label.point.backup != null) {
            return fromBackup(source.label);
        }
        if (source.label.restoreVolumes) {
            throw new BadInputException("--restore-volumes: only with --backup ID (tags alone hold no volume data)");
        }
        return fromLabel(source.label);
    }

    private int fromBackup(LabelSource b) {
        Console console = main.console();
        DockerProject p = DockerProject.open(project, docker, console);
        Deployment d = p.deployment();
        gate.validate(d.plan());
        List<String> names = null; // --all: every service the backup has a restore point for
        if (!b.selection.all) {
            names = Selection.serviceNames(b.selection.waves(p, WaveMode.PARALLEL, gate.gateOr("deploy")));
            p.requireInCompose(names);
        }
        RunReport report = new RunReport("rollback --backup " + b.point.backup + (b.restoreVolumes ? " --restore-volumes " : " ")
                + b.selection.describe());
        int code = BackupRollback.run(console, p, d, gate, lock, main, backups.store(project), b.point.backup, b.restoreVolumes,
                names, helperImage, project.composeEnv().orElse(null), report);
        report.finish(code);
        docker.publish(report, console);
        return code;
    }

    private int fromJournal(String runIdOrLatest) {
        Console console = main.console();
        DockerProject p = DockerProject.open(project, docker, console);
        Deployment d = p.deployment();
        gate.validate(d.plan());
        Journal.Record journal = Journal.read(p.stateDir(), runIdOrLatest);
        List<String> names = journal.touched().stream().map(Journal.Touch::service).distinct().toList();
        d.inventory().getAll(names);
        p.requireInCompose(names);
        p.connect();
        lock.hold(main, p.stateDir(), "rollback --journal " + runIdOrLatest);
        journal = Journal.read(p.stateDir(), runIdOrLatest); // read again under the lock: "latest" may have moved
        RunReport report = new RunReport("rollback --journal " + journal.runId());
        report.runId(journal.runId());
        List<Target> targets = targets(journal);
        console.line("rollback: run %s (%s), %d touched service(s)%s", journal.runId(), journal.file(), targets.size(),
                journal.ended() ? "" : "; that run did not finish (killed?)");
        return restoreAndGate(p, report, targets, journal);
    }

    private int fromLabel(LabelSource label) {
        Console console = main.console();
        DockerProject p = DockerProject.open(project, docker, console);
        Deployment d = p.deployment();
        gate.validate(d.plan());
        RebuildWaveCommand.requireTag(label.point.label);
        List<Wave> waves = label.selection.waves(p, WaveMode.PARALLEL, gate.gateOr("deploy"));
        p.requireInCompose(Selection.serviceNames(waves));
        p.connect();
        lock.hold(main, p.stateDir(), "rollback --label " + label.point.label + " " + label.selection.describe());
        RunReport report = new RunReport("rollback --label " + label.point.label + " " + label.selection.describe());
        List<Target> targets = targets(p, waves, label.point.label);
        console.line("rollback: %d service(s) to their :%s images", targets.size(), label.point.label);
        return restoreAndGate(p, report, targets, null);
    }

    /** Puts every target back, gates them all at once, records it in the journal (if any), reports. */
    int restoreAndGate(DockerProject p, RunReport report, List<Target> targets, Journal.Record journal) {
        Console console = main.console();
        Deployment d = p.deployment();
        var rollback = new ServiceRollback(p.engine(), p.composeProject(), console);
        var entries = new LinkedHashMap<Target, RunReport.Entry>();
        long t0 = System.nanoTime();
        java.time.Instant restoreStart = java.time.Instant.now();
        for (Target t : targets) {
            RunReport.Entry e = report.add(t.service(), t.wave());
            entries.put(t, e);
            if (t.restoreId() == null) {
                e.action(t.note());
                console.line("  %s: %s", t.service(), t.note());
                continue;
            }
            if (p.engine().image(t.restoreId()).isEmpty()) {
                e.failed("restore point " + t.restoreId() + " is gone (image removed?)").status("not restored")
                        .step("restore-point", false, "image " + t.restoreId(), "no such image");
                continue;
            }
            try {
                rollback.restore(t.service(), t.imageRef(), t.restoreId()).forEach(e::action);
            } catch (EnvironmentException ex) {
                e.step("redeploy", false, "up -d --no-deps on the restore point", ex.getMessage()).status("not restored");
            }
        }
        // Gate everything put back at once, each with the gate it was deployed with and its restore point's own time budget.
        var gated = targets.stream().filter(t -> !entries.get(t).isFailed()).toList();
        var byService = new LinkedHashMap<String, Target>();
        gated.forEach(t -> byService.put(t.service(), t));
        List<Service> services = gated.stream().map(t -> d.inventory().get(t.service())).toList();
        List<ServiceHealth> results;
        try (p; var probe = new HttpHealthProbe(); var watcher = new Watcher(p.engine(), p.composeProject().name(), probe, console)) {
            results = watcher.gate(services, s -> gate.forWave(d.plan(), byService.get(s.name()).gate()).forRestorePoint(s), restoreStart);
        }
        for (int i = 0; i < results.size(); i++) {
            Target t = gated.get(i);
            ServiceHealth h = results.get(i);
            RunReport.Entry e = entries.get(t).health(h).elapsed(Duration.ofNanos(System.nanoTime() - t0));
            if (h.healthy()) {
                e.status(t.restoreId() == null ? "healthy" : "rolled back");
                console.line("  ok   %s: healthy after %s", t.service(), Durations.format(h.timeToHealthy()));
            } else {
                console.line("  FAIL %s: %s", t.service(), h.reason());
            }
        }
        if (journal != null) {
            for (Target t : targets) {
                Journal.appendTo(journal.file(), t.service(), entries.get(t).isFailed() ? "rollback-failed" : "rolled-back",
                        console.masker());
            }
        }
        int code = report.failures().isEmpty() ? ExitCode.OK : ExitCode.CHECK_FAILED;
        report.finish(code);
        docker.publish(report, console);
        return code;
    }

    private static List<Target> targets(Journal.Record journal) {
        var targets = new ArrayList<Target>();
        Set<String> seen = new HashSet<>();
        var touched = new ArrayList<>(journal.touched());
        java.util.Collections.reverse(touched);
        for (Journal.Touch t : touched) {
            if (!seen.add(t.service())) {
                continue;
            }
            String gateName = t.gate() == null ? "deploy" : t.gate();
            if ("restart".equals(t.kind())) {
                targets.add(new Target(t.service(), t.wave(), t.imageRef(), null, gateName,
                        "only restarted by that run (official image): nothing to restore, gated"));
            } else if (t.oldImageId() == null) {
                targets.add(new Target(t.service(), t.wave(), t.imageRef(), null, gateName,
                        "had no image before that run: nothing to go back to, gated"));
            } else {
                targets.add(new Target(t.service(), t.wave(), t.imageRef(), t.oldImageId(), gateName, null));
            }
        }
        java.util.Collections.reverse(targets);
        return targets;
    }

    /** Every service's restore point must exist before anything is changed (else bad input). */
    private static List<Target> targets(DockerProject p, List<Wave> waves, String label) {
        var targets = new ArrayList<Target>();
        var missing = new ArrayList<String>();
        Set<String> seen = new HashSet<>();
        for (Wave w : waves) {
            for (String s : w.services()) {
                if (!seen.add(s)) {
                    continue;
                }
                String ref = ServiceImage.reference(p.engine(), p.composeProject(), p.composeFile(), s);
                String restore = ImageRef.parse(ref).withTag(label).toString();
                Optional<ImageInfo> img = p.engine().image(restore);
                if (img.isEmpty()) {
                    missing.add(s + " (" + restore + ")");
                } else {
                    targets.add(new Target(s, w.id(), ref, img.get().id(), w.gate(), null));
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new BadInputException("--label " + label + ": no restore point for " + String.join(", ", missing) + "; nothing was changed");
        }
        return targets;
    }
}
