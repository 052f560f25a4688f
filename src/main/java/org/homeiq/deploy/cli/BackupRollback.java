package org.homeiq.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.ExitCode;
import org.homeiq.deploy.backup.BackupFailedException;
import org.homeiq.deploy.backup.HelperContainer;
import org.homeiq.deploy.backup.Restore;
import org.homeiq.deploy.backup.RunningGate;
import org.homeiq.deploy.docker.ComposeFile;
import org.homeiq.deploy.report.Console;

/**
 * The {@code rollback --backup ID [--restore-volumes] (--services a,b | --all)} mode, kept apart
 * from the rollback command so that command stays a thin switch over its modes.
 */
public final class BackupRollback {
    private BackupRollback() {
    }

    /** Options of this mode, bundled for the rollback command. */
    public record Options(String backupId, boolean restoreVolumes, List<String> services, String helperImage,
            Duration timeout, Duration stability, Path json) {
    }

    public static int run(Console console, ProjectOptions project, BackupDestination destination, Options o) {
        if (o.services() != null && o.services().isEmpty()) {
            throw new BadInputException("--services: name at least one service, or use --all");
        }
        ComposeFile composeFile = ComposeFile.read(project.composeFile());
        var store = destination.store(project);
        store.find(o.backupId(), "--backup"); // unknown or malformed id: exit 2 before Docker is asked
        BackupTarget t = BackupTarget.connect(project);
        var stack = t.services();
        var restore = new Restore(t.docker(), stack, composeFile, t.volumes(), new HelperContainer(t.docker(), o.helperImage()),
                store, new RunningGate(stack, o.timeout(), o.stability(), console::line), console::line);
        Restore.Result result;
        try {
            result = restore.run(new Restore.Request(o.backupId(), o.restoreVolumes(), o.services()));
        } catch (BackupFailedException e) {
            console.error("FAILED: " + e.getMessage());
            writeJson(o.json(), "failed", e.getMessage(), null);
            return ExitCode.CHECK_FAILED;
        }
        writeJson(o.json(), result.healthy() ? "ok" : "unhealthy", null, result);
        if (!result.healthy()) {
            console.error("FAILED: restored from backup " + result.backupId() + ", but not every service came up healthy");
            return ExitCode.CHECK_FAILED;
        }
        console.line("Rolled back " + String.join(", ", result.services()) + " from backup " + result.backupId()
                + (result.volumes().isEmpty() ? "" : " with volumes " + String.join(", ", result.volumes())));
        return ExitCode.OK;
    }

    private static void writeJson(Path json, String status, String error, Restore.Result result) {
        if (json == null) {
            return;
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("result", status);
        if (error != null) {
            out.put("error", error);
        }
        if (result != null) {
            out.put("backup", result.backupId());
            out.put("services", result.services());
            out.put("volumes", result.volumes());
        }
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), out);
        } catch (IOException e) {
            throw new EnvironmentException("cannot write " + json + ": " + e.getMessage(), e);
        }
    }
}
