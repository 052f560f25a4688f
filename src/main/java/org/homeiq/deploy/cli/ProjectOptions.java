package org.homeiq.deploy.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.homeiq.deploy.model.Deployment;
import org.homeiq.deploy.model.load.DeploymentLoader;
import picocli.CommandLine.Option;

/** Options every command shares: where the HomeIQ checkout is and which data files describe it. */
public final class ProjectOptions {
    /** Optional file in the project directory that adapts the bundled data to a real checkout. */
    public static final String PROJECT_FILE = "homeiq-deploy.yaml";

    @Option(names = "--project-dir", paramLabel = "DIR", defaultValue = ".",
            description = "HomeIQ checkout with the compose file; journal and backups go under DIR/.homeiq (default: ${DEFAULT-VALUE}).")
    Path projectDir;

    @Option(names = {"-f", "--compose-file"}, paramLabel = "FILE",
            description = "Compose file, relative to the project directory (default: docker-compose.yml).")
    Path composeFile;

    @Option(names = {"-p", "--project-name"}, paramLabel = "NAME",
            description = "Compose project name (default: compose's own, the directory name).")
    String projectName;

    @Option(names = "--inventory", paramLabel = "FILE",
            description = "Extra inventory file; its services override or extend the bundled ones field by field.")
    Path inventoryFile;

    @Option(names = "--plan", paramLabel = "FILE",
            description = "Extra plan file; the days, phases and gates it names replace the bundled ones.")
    Path planFile;

    public Path projectDir() {
        return projectDir.toAbsolutePath().normalize();
    }

    /** The compose file, resolved against the project directory. */
    public Path composeFile() {
        Path f = composeFile == null ? Path.of("docker-compose.yml") : composeFile;
        return projectDir().resolve(f).normalize();
    }

    /** Whether the user named a compose file explicitly (then it must exist). */
    public boolean composeFileGiven() {
        return composeFile != null;
    }

    public String projectName() {
        return projectName;
    }

    /** The files layered over the bundled data, in the order they apply. */
    public List<Path> overlayFiles() {
        var files = new ArrayList<Path>();
        Path projectFile = projectDir().resolve(PROJECT_FILE);
        if (Files.isRegularFile(projectFile)) {
            files.add(projectFile);
        }
        if (inventoryFile != null) {
            files.add(inventoryFile);
        }
        if (planFile != null) {
            files.add(planFile);
        }
        return files;
    }

    /** Loads the bundled inventory and plan with the overlays; bad files throw with file and line. */
    public Deployment deployment() {
        return DeploymentLoader.load(overlayFiles());
    }
}
