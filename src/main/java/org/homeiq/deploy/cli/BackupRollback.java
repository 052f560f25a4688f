package org.homeiq.deploy.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.homeiq.deploy.ExitCode;
import org.homeiq.deploy.backup.BackupFailedException;
import org.homeiq.deploy.backup.BackupStore;
import org.homeiq.deploy.backup.HelperContainer;
import org.homeiq.deploy.backup.Restore;
import org.homeiq.deploy.backup.SinceBackup;
import org.homeiq.deploy.backup.StackControl;
import org.homeiq.deploy.backup.StoredBackup;
import org.homeiq.deploy.health.HttpHealthProbe;
import org.homeiq.deploy.health.Watcher;
import org.homeiq.deploy.health.ServiceHealth;
import org.homeiq.deploy.model.Deployment;
import org.homeiq.deploy.model.Durations;
import org.homeiq.deploy.model.Service;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.report.RunReport;
import org.homeiq.deploy.secrets.FingerprintKey;

/**
 * {@code rollback --backup ID [--restore-volumes] (--services a,b | --all)}: the rollback
 * command's third source, kept here so the command stays a switch over its sources. The work is
 * {@link Restore}'s; this wires it to the project, the plan's health gate and the run report.
 */
final class BackupRollback {
    private BackupRollback() {
    }

    /**
     * @param services the selected services, or null for every service the backup has a restore point for
     * @return the exit code; the report is filled for the caller to publish
     */
    static int run(Console console, DockerProject p, Deployment d, GateOverrides gate, LockOptions lock, Main main, BackupStore store,
            String backupId, boolean restoreVolumes, List<String> services, String helperImage, Path envFile,
            RunReport report) {
        StoredBackup backup = store.find(backupId, "--backup"); // unknown or malformed id: exit 2 before Docker is asked
        p.connect();
        lock.hold(main, p.stateDir(), "rollback --backup " + backupId);
        // Before anything changes: the restore runs today's compose file and .env, not the backup's.
        SinceBackup.changes(backup, p.composeFile().path(), envFile, FingerprintKey.in(p.stateDir())).forEach(console::line);
        StackControl stack = BackupTarget.of(p.docker(), p.compose()).services();
        Map<String, RunReport.Entry> entries = new LinkedHashMap<>();
        java.time.Instant restoreStart = java.time.Instant.now();
        Restore.Gate healthGate = names -> {
            var inInventory = new ArrayList<Service>();
            for (String n : names) {
                entries.computeIfAbsent(n, s -> report.add(s, "backup " + backupId)).action("restored from backup " + backupId);
                if (d.inventory().contains(n)) {
                    inInventory.add(d.inventory().get(n));
                }
            }
            boolean all = true;
            List<ServiceHealth> results;
            // The services are back on their backup's images: each gets the restore point's own time budget.
            try (var probe = new HttpHealthProbe(); var watcher = new Watcher(p.engine(), p.composeProject().name(), probe, console)) {
                results = watcher.gate(inInventory, s -> gate.forWave(d.plan(), gate.gateOr("deploy")).forRestorePoint(s), restoreStart);
            }
            for (int i = 0; i < results.size(); i++) {
                ServiceHealth h = results.get(i);
                String name = inInventory.get(i).name();
                entries.get(name).health(h).status(h.healthy() ? "rolled back" : "unhealthy");
                if (h.healthy()) {
                    console.line("  ok   %s: healthy after %s", name, Durations.format(h.timeToHealthy()));
                } else {
                    console.line("  FAIL %s: %s", name, h.reason());
                    all = false;
                }
            }
            return all;
        };
        var restore = new Restore(p.docker(), stack, p.composeFile(), BackupTarget.of(p.docker(), p.compose()).volumes(),
                new HelperContainer(p.docker(), helperImage), store, healthGate, console::line);
        try {
            Restore.Result result = restore.run(new Restore.Request(backupId, restoreVolumes, services));
            if (!result.healthy()) {
                console.error("FAILED: restored from backup " + backupId + ", but not every service came up healthy");
                return ExitCode.CHECK_FAILED;
            }
            console.line("Rolled back " + String.join(", ", result.services()) + " from backup " + result.backupId()
                    + (result.volumes().isEmpty() ? "" : " with volumes " + String.join(", ", result.volumes())));
            return ExitCode.OK;
        } catch (BackupFailedException e) {
            console.error("FAILED: " + e.getMessage());
            List<String> named = services != null ? services : List.of("backup");
            for (String s : named) {
                entries.computeIfAbsent(s, n -> report.add(n, "backup " + backupId)).failed(e.getMessage()).status("not restored");
            }
            return ExitCode.CHECK_FAILED;
        }
    }
}
