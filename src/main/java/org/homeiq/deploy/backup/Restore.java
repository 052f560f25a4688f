package org.homeiq.deploy.backup;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.docker.ComposeFile;
import org.homeiq.deploy.docker.Docker;
import org.homeiq.deploy.docker.DockerEngine;
import org.homeiq.deploy.docker.DockerVolumes;
import org.homeiq.deploy.docker.ImageInfo;
import org.homeiq.deploy.docker.ImageRef;

/**
 * {@code rollback --backup ID}: puts services back on the images a backup recorded and, with
 * {@code --restore-volumes}, their volumes back to the archived content. Everything that can be
 * checked is checked before anything is touched: the backup is verified end to end, every
 * restore-point image must still exist, an image to copy with must be on the host, and every
 * restored volume must be one that recreating empties, mounted by no container but the stopped
 * services'. Then the services (and any other writer of a restored volume) are stopped, the
 * containers that mount a restored volume are removed, the volume is created again empty and the
 * archive extracted into it through {@link EntryGuard} and the Engine API, images are retagged,
 * and the services are recreated and health-gated.
 */
public final class Restore {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** What to restore; {@code services} null means every service the backup has a restore point for. */
    public record Request(String backupId, boolean restoreVolumes, List<String> services) {
    }

    /** Gates the restarted services; true when all are healthy. */
    public interface Gate {
        boolean passes(List<String> services);
    }

    /** What was done, for the report. */
    public record Result(String backupId, List<String> services, List<String> volumes, boolean healthy) {
    }

    private final DockerEngine docker;
    private final StackControl stack;
    private final ComposeFile composeFile;
    private final ProjectVolumes volumes;
    private final HelperContainer helper;
    private final BackupStore store;
    private final Gate gate;
    private final Consumer<String> log;

    /** For callers that still hand the old client around: the same, through its Engine API client. */
    @Deprecated
    public Restore(Docker docker, StackControl stack, ComposeFile composeFile, ProjectVolumes volumes,
            HelperContainer helper, BackupStore store, Gate gate, Consumer<String> log) {
        this(docker.engine(), stack, composeFile, volumes, helper, store, gate, log);
    }

    public Restore(DockerEngine docker, StackControl stack, ComposeFile composeFile, ProjectVolumes volumes,
            HelperContainer helper, BackupStore store, Gate gate, Consumer<String> log) {
        this.docker = docker;
        this.stack = stack;
        this.composeFile = composeFile;
        this.volumes = volumes;
        this.helper = helper;
        this.store = store;
        this.gate = gate;
        this.log = log;
    }

    public Result run(Request r) {
        StoredBackup backup = store.find(r.backupId(), "--backup");
        ManifestScope.require(backup, java.util.Optional.of(composeFile)); // before anything is stopped
        Manifest m = backup.manifest();
        Map<String, Manifest.RestorePoint> points = new LinkedHashMap<>();
        for (Manifest.RestorePoint p : m.images()) {
            points.put(p.service(), p);
        }
        List<String> services = r.services() != null ? r.services() : List.copyOf(points.keySet());
        for (String s : services) {
            if (!composeFile.hasService(s)) {
                throw new BadInputException("--services: '" + s + "' is not a service of " + composeFile.path());
            }
            if (!points.containsKey(s)) {
                throw new BadInputException("--services: backup " + backup.id() + " has no restore point for '" + s + "'");
            }
        }
        // Volumes: with --all every archived volume; with --services those the services mount.
        var restoreVolumes = new ArrayList<Manifest.VolumeArchive>();
        if (r.restoreVolumes()) {
            for (Manifest.VolumeArchive v : m.volumes()) {
                boolean mounted = composeFile.services().stream()
                        .anyMatch(s -> services.contains(s.name()) && s.volumes().contains(v.name()));
                if (r.services() == null || mounted) {
                    restoreVolumes.add(v);
                }
            }
            if (restoreVolumes.isEmpty()) {
                throw new BadInputException("--restore-volumes: backup " + backup.id() + " holds no volume of "
                        + String.join(", ", services));
            }
        }
        // Every writer of a restored volume is stopped too, or it would write into half a restore.
        var toStop = new LinkedHashSet<>(services);
        for (Manifest.VolumeArchive v : restoreVolumes) {
            composeFile.services().stream().filter(s -> s.volumes().contains(v.name())).forEach(s -> toStop.add(s.name()));
        }

        log.accept("Rollback from backup " + backup.id() + " (" + m.label() + ", " + m.createdAt() + "): services "
                + String.join(", ", services) + (restoreVolumes.isEmpty() ? "" : "; volumes "
                + String.join(", ", restoreVolumes.stream().map(Manifest.VolumeArchive::name).toList())));
        // 1. Checks: nothing is touched until all pass.
        Map<String, String> sources = new LinkedHashMap<>();
        for (String s : services) {
            sources.put(s, restoreSource(points.get(s)));
        }
        if (!restoreVolumes.isEmpty()) {
            helper.chooseImage(composeFile, stack);
        }
        for (Manifest.VolumeArchive v : restoreVolumes) {
            requireReplaceable(v, toStop);
        }
        if (!restoreVolumes.isEmpty()) {
            log.accept("Restore: " + helper.describe());
        }
        log.accept("Verifying backup " + backup.id() + " before touching anything");
        try {
            Verification.check(backup, line -> log.accept(line));
        } catch (BackupFailedException e) {
            store.clearVerified(backup);
            throw new BackupFailedException("backup " + backup.id() + " is refused: " + e.getMessage()
                    + "; nothing was changed", e);
        }

        // 2. Stop, restore, retag, recreate. Whatever fails, the stopped services are started again.
        List<String> stopped = List.copyOf(toStop);
        log.accept("Stopping " + String.join(", ", stopped));
        stack.stop(stopped);
        boolean recreated = false;
        var removed = new LinkedHashSet<String>();
        try {
            for (Manifest.VolumeArchive v : restoreVolumes) {
                restoreVolume(backup, v, removed);
            }
            for (String s : services) {
                Manifest.RestorePoint p = points.get(s);
                var current = docker.image(p.image());
                if (current.isPresent() && !current.get().id().equals(docker.image(sources.get(s)).map(ImageInfo::id).orElse(""))) {
                    // Same convention as the other rollbacks: the replaced image stays findable.
                    String failed = ImageRef.parse(p.image()).withTag("failed-" + STAMP.format(Instant.now())).toString();
                    docker.tag(current.get().id(), failed);
                    log.accept("  image " + p.image() + " (" + shortId(current.get().id()) + ") kept as " + failed);
                }
                docker.tag(sources.get(s), p.image());
                log.accept("  image " + p.image() + " ← " + p.restoreTag() + " (" + shortId(p.imageId()) + ")");
            }
            stack.recreate(stopped);
            recreated = true;
        } finally {
            if (!recreated) {
                try {
                    // Services whose containers went with a volume get new ones; the others start again.
                    List<String> kept = stopped.stream().filter(s -> !removed.contains(s)).toList();
                    if (!kept.isEmpty()) {
                        stack.start(kept);
                    }
                    if (!removed.isEmpty()) {
                        stack.recreate(List.copyOf(removed));
                    }
                    log.accept("Restore failed: started " + String.join(", ", stopped) + " again");
                } catch (RuntimeException e) {
                    log.accept("Restore failed, and starting " + String.join(", ", stopped) + " again failed too: " + e.getMessage());
                }
            }
        }
        log.accept("Started " + String.join(", ", stopped) + "; health gate");
        boolean healthy = gate.passes(stopped);
        return new Result(backup.id(), stopped, restoreVolumes.stream().map(Manifest.VolumeArchive::name).toList(), healthy);
    }

    /** The image to put back: the recorded id, which the restore tag should still point at. */
    private String restoreSource(Manifest.RestorePoint p) {
        return RestorePointImages.source(p, docker::image);
    }

    /**
     * Without a helper container, emptying a volume means removing it and creating it again, which
     * Docker allows only when no container mounts it and which empties it only when its data is in
     * Docker's own storage. Both are checked here, before anything is touched. A copy container a
     * killed run left behind is not in the way: it goes with the others.
     */
    private void requireReplaceable(Manifest.VolumeArchive v, java.util.Set<String> stopped) {
        String name = volumes.dockerName(v.name());
        if (!volumes.exists(name)) {
            return;
        }
        DockerVolumes docker = volumes.docker();
        if (!docker.emptiedByRecreating(name)) {
            throw new EnvironmentException("volume " + v.name() + " (Docker volume " + name + ") keeps its data outside "
                    + "Docker's storage (a driver or driver options such as a bind device or NFS): it cannot be emptied "
                    + "for the restore; nothing was changed");
        }
        var others = docker.users(name).stream()
                .filter(u -> !u.copy() && (!volumes.project().equals(u.project()) || !stopped.contains(u.service())))
                .map(DockerVolumes.User::containerName).toList();
        if (!others.isEmpty()) {
            throw new EnvironmentException("volume " + v.name() + " (Docker volume " + name + ") is also mounted by "
                    + String.join(", ", others) + ", which the restore does not stop: remove "
                    + (others.size() == 1 ? "it" : "them") + " and try again; nothing was changed");
        }
    }

    /** Empties the volume (its stopped users' containers go, to be recreated) and extracts the archive. */
    private void restoreVolume(StoredBackup backup, Manifest.VolumeArchive v, java.util.Set<String> removed) {
        String name = volumes.dockerName(v.name());
        long t0 = System.nanoTime();
        if (volumes.exists(name)) {
            DockerVolumes docker = volumes.docker();
            for (DockerVolumes.User u : docker.users(name)) {
                docker.removeContainer(u.containerId());
                if (!u.copy()) {
                    removed.add(u.service());
                }
            }
            docker.recreateEmpty(name);
        } else {
            volumes.create(v.name(), name);
        }
        Compression c = Compression.byId(v.compression());
        var failure = new AtomicReference<RuntimeException>();
        try (var in = new PipedInputStream(1 << 20)) {
            var out = new PipedOutputStream(in);
            Thread producer = new Thread(() -> {
                try (out) {
                    ArchiveReader.Scanned s = ArchiveReader.copySafe(backup.file(v.file()), c, out);
                    ArchiveReader.requireMatch(backup.file(v.file()), s, v.sha256(), v.tarBytes());
                } catch (RuntimeException | IOException e) {
                    failure.set(e instanceof RuntimeException re ? re : new EnvironmentException(e.getMessage(), e));
                }
            }, "restore-" + v.name());
            producer.setDaemon(true);
            producer.start();
            RuntimeException containerFailure = null;
            try {
                helper.writeVolume(name, in);
            } catch (RuntimeException e) {
                containerFailure = e;
                in.close(); // the producer stops at its next write instead of waiting for a reader
            }
            producer.join();
            // A refused entry or a bad checksum is the story; a closed pipe after a copy failure is not.
            if (failure.get() instanceof BackupFailedException || failure.get() != null && containerFailure == null) {
                throw new BackupFailedException("restoring volume " + v.name() + " stopped: " + failure.get().getMessage(), failure.get());
            }
            if (containerFailure != null) {
                throw containerFailure;
            }
        } catch (IOException e) {
            throw new EnvironmentException("restoring volume " + v.name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted while restoring volume " + v.name(), e);
        }
        log.accept(String.format("  volume %-20s restored into %s (%s) in %.1f s", v.name(), name,
                Sizes.human(v.tarBytes()), (System.nanoTime() - t0) / 1e9));
    }

    static String shortId(String id) {
        String s = id.startsWith("sha256:") ? id.substring(7) : id;
        return s.length() > 12 ? s.substring(0, 12) : s;
    }
}
