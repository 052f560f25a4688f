package org.homeiq.deploy.cli;

import java.nio.file.Path;
import org.homeiq.deploy.backup.BackupStore;
import picocli.CommandLine.Option;

/** {@code --dest DIR}: where backups live, shared by backup, backup list/verify and rollback. */
public final class BackupDestination {
    @Option(names = "--dest", paramLabel = "DIR",
            description = "Backups directory (default: <project-dir>/.homeiq/backups).")
    Path dest;

    public BackupStore store(ProjectOptions project) {
        return new BackupStore(dest != null ? dest : project.stateDir().resolve("backups"));
    }
}
