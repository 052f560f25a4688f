package org.homeiq.deploy.e2e;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.cli.BackupDestination;
import org.homeiq.deploy.cli.BackupRollback;
import org.homeiq.deploy.cli.ProjectOptions;
import org.homeiq.deploy.demo.MiniHomeIq;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.secrets.Masker;
import picocli.CommandLine;

/** Runs the rollback-from-backup mode the way the rollback command does. Test helper. */
final class RollbackRunner {
    private RollbackRunner() {
    }

    static int run(PrintStream out, PrintStream err, MiniHomeIq mini, String id, boolean volumes, List<String> services) {
        var holder = new Holder();
        new CommandLine(holder).parseArgs(mini.engineArgs().toArray(String[]::new));
        ProjectOptions project = holder.project;
        var console = new Console(out, err, new Masker());
        try {
            return BackupRollback.run(console, project, new BackupDestination(), new BackupRollback.Options(id, volumes,
                    services, MiniHomeIq.BASE_IMAGE, Duration.ofSeconds(30), Duration.ofSeconds(1), null));
        } catch (BadInputException e) {
            console.error("error: " + e.getMessage());
            return 2;
        } catch (EnvironmentException e) {
            console.error("environment error: " + e.getMessage());
            return 3;
        }
    }

    @CommandLine.Command
    static final class Holder {
        @CommandLine.Mixin
        ProjectOptions project;
    }
}
