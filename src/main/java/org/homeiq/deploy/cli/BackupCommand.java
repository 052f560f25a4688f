package org.homeiq.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.ExitCode;
import org.homeiq.deploy.secrets.FingerprintKey;
import org.homeiq.deploy.backup.Backup;
import org.homeiq.deploy.backup.Compression;
import org.homeiq.deploy.backup.FailedTagRetention;
import org.homeiq.deploy.backup.Manifest;
import org.homeiq.deploy.backup.HelperContainer;
import org.homeiq.deploy.docker.ComposeFile;
import org.homeiq.deploy.backup.BackupFailedException;
import org.homeiq.deploy.backup.BackupStore;
import org.homeiq.deploy.backup.StoredBackup;
import org.homeiq.deploy.backup.Verification;
import org.homeiq.deploy.backup.ManifestScope;
import org.homeiq.deploy.backup.RestorePointImages;
import org.homeiq.deploy.docker.Docker;
import org.homeiq.deploy.docker.ProcessRunner;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.report.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code backup}, {@code backup list}, {@code backup verify ID}: the engine side of homeiqBackup. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        subcommands = {BackupCommand.ListBackups.class, BackupCommand.Verify.class},
        description = {"Back up the project's Docker volumes, image restore points, compose file and .env fingerprints.",
            "A backup is complete or absent: it is written under a temporary name and renamed when whole."})
public final class BackupCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    ProjectOptions project;

    @Mixin
    BackupDestination destination;

    @Mixin
    LockOptions lock;

    @Option(names = "--label", paramLabel = "L", defaultValue = "pre-rebuild",
            description = "What the backup is for; also the restore-point tag put on every service image (default: ${DEFAULT-VALUE}).")
    String label;

    @Option(names = "--volumes", paramLabel = "v1,v2", split = ",",
            description = "Named volumes of the compose file to back up (default: all of them).")
    List<String> volumes;

    @Option(names = "--quiesce", paramLabel = "s1,s2", split = ",",
            description = "Services stopped while the volumes are read and started again afterwards, also when the backup fails.")
    List<String> quiesce = new ArrayList<>();

    @Option(names = "--keep", paramLabel = "N",
            description = "After a successful backup, keep only the N newest complete backups (the newest verified one always stays).")
    Integer keep;

    @Option(names = "--keep-failed", paramLabel = "N", defaultValue = "" + FailedTagRetention.DEFAULT_KEEP,
            description = "After a successful backup, keep only the N newest failed-<time> tags (kept by rollbacks for"
                    + " diagnosis) of each service image; 0 removes them all (default: ${DEFAULT-VALUE}).")
    int keepFailed;

    @Option(names = "--helper-image", paramLabel = "IMAGE", converter = DockerNames.Image.class,
            description = "Deprecated, not needed: volumes are copied through the Engine API from a container that is"
                    + " never started, made from one of the stack's own images. When given and on the host, that"
                    + " container is made from IMAGE instead.")
    String helperImage;

    @Option(names = "--compression", paramLabel = "zstd|gzip", defaultValue = "zstd",
            description = "Archive compression (default: ${DEFAULT-VALUE}: as small as gzip, several times faster).")
    String compression;

    @Option(names = "--json", paramLabel = "FILE", converter = ReportPath.class, description = "Write the backup's manifest and location as JSON.")
    Path json;

    @Override
    public Integer call() throws IOException {
        Console console = main.console();
        Compression c;
        try {
            c = Compression.byId(compression);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--compression: " + e.getMessage());
        }
        // The .env to fingerprint, parsed and masked before anything is printed.
        Path env = project.composeEnv().orElse(null);
        if (keepFailed < 0) {
            throw new BadInputException("--keep-failed: must be 0 or more, was " + keepFailed);
        }
        var request = new Backup.Request(label, volumes, quiesce, keep, env, c,
                env == null ? null : FingerprintKey.in(project.stateDir()));
        ComposeFile composeFile = ComposeFile.read(project.composeFile());
        Backup.validate(request, composeFile); // bad input exits 2 before Docker is even asked
        BackupTarget dp = BackupTarget.connect(project);
        if (!quiesce.isEmpty()) { // only stopping services changes the stack
            lock.hold(main, project.stateDir(), "backup --quiesce " + String.join(",", quiesce));
        }
        StoredBackup b;
        try (var engine = dp.engine()) {
            var backup = new Backup(engine, dp.services(), composeFile, dp.volumes(),
                    new HelperContainer(engine, engine, helperImage), destination.store(project), console::line, Clock.systemUTC());
            b = backup.run(request);
            List<String> images = b.manifest().images().stream().map(Manifest.RestorePoint::image).toList();
            for (String tag : FailedTagRetention.prune(images, keepFailed, engine::images, engine::untag)) {
                console.line("Retention --keep-failed " + keepFailed + ": removed tag " + tag);
            }
        } catch (BackupFailedException e) {
            console.error("FAILED: " + e.getMessage());
            return ExitCode.CHECK_FAILED;
        }
        if (json != null) {
            var out = new LinkedHashMap<String, Object>();
            out.put("result", "ok");
            out.put("dir", b.dir().toString());
            out.put("manifest", b.manifest());
            // Masked like everything else the engine writes.
            Files.writeString(json, console.masker().mask(
                    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out)));
        }
        return ExitCode.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List complete backups, oldest first.")
    static final class ListBackups implements Callable<Integer> {
        @ParentCommand
        BackupCommand parent;

        @Mixin
        ProjectOptions project;

        @Mixin
        BackupDestination destination;

        @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
                description = "Output format: text (a table) or json (default: ${DEFAULT-VALUE}).")
        Format format;

        enum Format { text, json }

        @Override
        public Integer call() throws IOException {
            Console console = parent.main.console();
            BackupStore store = destination.store(project);
            List<StoredBackup> all = store.list();
            if (format == Format.json) {
                var rows = new ArrayList<Map<String, Object>>();
                for (StoredBackup b : all) {
                    var row = new LinkedHashMap<String, Object>();
                    row.put("id", b.id());
                    row.put("label", b.manifest().label());
                    row.put("createdAt", b.manifest().createdAt());
                    row.put("verifiedAt", b.verified() ? b.verifiedAt().toString() : null);
                    row.put("volumes", b.manifest().volumes().stream().map(v -> v.name()).toList());
                    row.put("archiveBytes", b.manifest().volumes().stream().mapToLong(v -> v.archiveBytes()).sum());
                    row.put("dir", b.dir().toString());
                    rows.add(row);
                }
                console.line(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
                return ExitCode.OK;
            }
            if (all.isEmpty()) {
                console.line("No backups under " + store.root());
                return ExitCode.OK;
            }
            var table = new TextTable("ID", "CREATED", "SIZE", "VERIFIED", "VOLUMES");
            for (StoredBackup b : all) {
                long size = b.manifest().volumes().stream().mapToLong(v -> v.archiveBytes()).sum();
                table.row(b.id(), b.manifest().createdAt(), human(size),
                        b.verified() ? b.verifiedAt().toString() : "never",
                        String.join(",", b.manifest().volumes().stream().map(v -> v.name()).toList()));
            }
            table.lines().forEach(console::line);
            return ExitCode.OK;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Re-read every archive of a backup to the end and check it against the manifest's checksums.")
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        BackupCommand parent;

        @Mixin
        ProjectOptions project;

        @Mixin
        BackupDestination destination;

        @Parameters(paramLabel = "ID", description = "The backup to verify (see 'backup list').")
        String id;

        @Override
        public Integer call() {
            Console console = parent.main.console();
            BackupStore store = destination.store(project);
            StoredBackup b;
            try {
                b = store.find(id, "ID");
                console.line("Verifying backup " + b.id() + " (" + b.dir() + ")");
                ManifestScope.require(b, project.composeFileIfPresent());
                Verification.verify(store, b, console::line);
                if (!b.manifest().images().isEmpty()) {
                    RestorePointImages.requireAll(b.manifest(), Docker.connect(new ProcessRunner())::image);
                    console.line("  ok  restore-point images of " + b.manifest().images().size() + " service(s) on this Docker host");
                }
            } catch (BackupFailedException e) {
                console.error("FAILED: " + e.getMessage());
                return ExitCode.CHECK_FAILED;
            }
            console.line("Backup " + b.id() + " verified: every archive read to the end, checksums match"
                    + (b.manifest().images().isEmpty() ? "." : ", restore-point images present."));
            return ExitCode.OK;
        }
    }

    static String human(long bytes) {
        return bytes < 1024 * 1024 ? (bytes / 1024) + " KiB" : String.format("%.1f MiB", bytes / 1048576.0);
    }
}
