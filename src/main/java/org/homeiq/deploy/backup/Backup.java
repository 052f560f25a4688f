package org.homeiq.deploy.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.docker.ComposeFile;
import org.homeiq.deploy.docker.DockerEngine;
import org.homeiq.deploy.docker.ImageRef;
import org.homeiq.deploy.secrets.Dotenv;
import org.homeiq.deploy.secrets.FingerprintKey;

/**
 * One {@code backup} run: each selected volume streamed out through the Engine API (the archive of
 * a never-started container that mounts it read-only) into a compressed, checksummed archive; a restore-point tag on every service image; the compose file;
 * the {@code .env} fingerprints; then the manifest and the rename that makes it a backup.
 * Quiesced services are stopped for the copy and started again whatever happens.
 */
public final class Backup {
    /** Docker's tag syntax: the label becomes the restore-point tag. */
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    public static final String COMPOSE_COPY = "docker-compose.yml";

    /** What to back up, as the options said. {@code volumes} null means all named volumes. */
    /** {@code envKey} keys the fingerprints of {@code envFile} (both null when there is no .env). */
    public record Request(String label, List<String> volumes, List<String> quiesce, Integer keep,
            Path envFile, Compression compression, FingerprintKey envKey) {
    }

    private final DockerEngine docker;
    private final StackControl services;
    private final ComposeFile composeFile;
    private final ProjectVolumes volumes;
    private final HelperContainer helper;
    private final BackupStore store;
    private final Consumer<String> log;
    private final Clock clock;

    public Backup(DockerEngine docker, StackControl services, ComposeFile composeFile, ProjectVolumes volumes,
            HelperContainer helper, BackupStore store, Consumer<String> log, Clock clock) {
        this.docker = docker;
        this.services = services;
        this.composeFile = composeFile;
        this.volumes = volumes;
        this.helper = helper;
        this.store = store;
        this.log = log;
        this.clock = clock;
    }

    /** Checks the request against the compose file; throws BadInputException before anything runs. */
    public static void validate(Request r, ComposeFile compose) {
        if (r.label() == null || !LABEL.matcher(r.label()).matches()) {
            throw new BadInputException("--label: '" + r.label() + "' is not a valid image tag "
                    + "(letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')");
        }
        if (r.volumes() != null) {
            for (String v : r.volumes()) {
                if (!compose.namedVolumes().contains(v)) {
                    throw new BadInputException("--volumes: '" + v + "' is not a named volume of " + compose.path()
                            + " (it has: " + String.join(", ", compose.namedVolumes()) + ")");
                }
            }
        }
        for (String s : r.quiesce()) {
            if (!compose.hasService(s)) {
                throw new BadInputException("--quiesce: '" + s + "' is not a service of " + compose.path());
            }
        }
        if (r.keep() != null && r.keep() < 1) {
            throw new BadInputException("--keep: must be at least 1, was " + r.keep());
        }
        if (r.envFile() != null) {
            Dotenv.parse(r.envFile()); // malformed → file:line, before anything runs
        }
    }

    public StoredBackup run(Request r) {
        validate(r, composeFile);
        List<String> selected = r.volumes() != null ? r.volumes() : composeFile.namedVolumes();
        if (selected.isEmpty()) {
            throw new BadInputException(composeFile.path() + " has no named volumes to back up (and --volumes named none)");
        }
        helper.chooseImage(composeFile, services);
        log.accept("Backup: " + helper.describe());
        var dockerNames = new LinkedHashMap<String, String>();
        for (String v : selected) {
            String name = volumes.dockerName(v);
            if (!volumes.exists(name)) {
                throw new EnvironmentException("volume " + v + " (Docker volume " + name + ") does not exist: "
                        + "start the stack once, or leave it out with --volumes");
            }
            dockerNames.put(v, name);
        }
        Manifest.EnvFingerprint env = r.envFile() == null ? null : EnvFingerprints.of(r.envFile(), r.envKey());
        Instant now = clock.instant();
        String id = store.newId(now, r.label());
        BackupStore.Pending pending = store.begin(id);
        log.accept("Backup " + id + " → " + store.root());
        boolean committed = false;
        try {
            List<Manifest.VolumeArchive> archives = quiesced(r.quiesce(), () -> copyVolumes(dockerNames, pending, r.compression()));
            List<Manifest.RestorePoint> points = restorePoints(r.label());
            Manifest.ComposeCopy composeCopy = copyComposeFile(pending);
            var m = new Manifest(Manifest.FORMAT, id, r.label(), now.toString(), volumes.project(), composeCopy,
                    archives, points, env,
                    List.copyOf(r.quiesce()));
            StoredBackup b = pending.commit(m);
            committed = true;
            log.accept("Backup " + id + " complete: " + archives.size() + " volume(s), " + points.size()
                    + " restore point(s) tagged :" + r.label());
            if (r.keep() != null) {
                for (StoredBackup gone : store.prune(r.keep())) {
                    log.accept("Retention --keep " + r.keep() + ": removed backup " + gone.id());
                }
            }
            return b;
        } finally {
            if (!committed) {
                pending.abort();
                log.accept("Backup " + id + " not written: its temporary directory was removed");
            }
        }
    }

    private interface Work<T> {
        T run();
    }

    /** Runs the copy with the writers stopped; starts them again even when the copy fails. */
    private <T> T quiesced(List<String> writers, Work<T> work) {
        if (writers.isEmpty()) {
            return work.run();
        }
        log.accept("Quiescing " + String.join(", ", writers) + " while their data is read");
        RuntimeException failure = null;
        try {
            services.stop(writers); // inside the try: a stop that fails half-way still gets its start
            return work.run();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            try {
                services.start(writers);
                log.accept("Started " + String.join(", ", writers) + " again");
            } catch (RuntimeException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                    log.accept("FAILED to start " + String.join(", ", writers) + " again: " + e.getMessage());
                } else {
                    throw e;
                }
            }
        }
    }

    private List<Manifest.VolumeArchive> copyVolumes(Map<String, String> dockerNames, BackupStore.Pending pending, Compression c) {
        var out = new ArrayList<Manifest.VolumeArchive>();
        var writer = new ArchiveWriter(c);
        for (var e : dockerNames.entrySet()) {
            String file = e.getKey() + c.suffix();
            long t0 = System.nanoTime();
            ArchiveWriter.Sink sink = writer.open(pending.dir().resolve(file));
            ArchiveWriter.Written w;
            try {
                helper.readVolume(e.getValue(), sink);
                w = sink.finish();
            } catch (EnvironmentException ex) {
                // The pump reports a disk-full as "could not copy output"; say what it really was.
                if (sink.failure() != null) {
                    throw sink.failure();
                }
                throw new EnvironmentException("reading volume " + e.getKey() + " (" + e.getValue() + ") failed: " + ex.getMessage(), ex);
            } finally {
                sink.abort();
            }
            double secs = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
            log.accept(String.format("  volume %-20s %s → %s %s in %.1f s (%.0f MB/s)  sha256 %s", e.getKey(),
                    Sizes.human(w.tarBytes()), Sizes.human(w.archiveBytes()), c.id(), secs, w.tarBytes() / 1e6 / secs,
                    w.sha256().substring(0, 12)));
            out.add(new Manifest.VolumeArchive(e.getKey(), e.getValue(), file, c.id(), w.tarBytes(), w.archiveBytes(), w.sha256()));
        }
        return out;
    }

    /** Tags every service's current image {@code <repository>:<label>} and records its id. */
    private List<Manifest.RestorePoint> restorePoints(String label) {
        var out = new ArrayList<Manifest.RestorePoint>();
        for (ComposeFile.ComposeService s : composeFile.services()) {
            var c = services.container(s.name());
            String image;
            String imageId;
            if (c.isPresent()) {
                image = c.get().image();
                imageId = c.get().imageId();
            } else if (s.image() != null && docker.image(s.image()).isPresent()) {
                image = s.image();
                imageId = docker.image(s.image()).get().id();
            } else {
                log.accept("  restore point: " + s.name() + " has no container and no local image: skipped");
                continue;
            }
            String tag = ImageRef.parse(image).withTag(label).toString();
            docker.tag(imageId, tag);
            out.add(new Manifest.RestorePoint(s.name(), image, tag, imageId));
        }
        return out;
    }

    private Manifest.ComposeCopy copyComposeFile(BackupStore.Pending pending) {
        try {
            byte[] content = Files.readAllBytes(composeFile.path());
            Files.write(pending.dir().resolve(COMPOSE_COPY), content);
            return new Manifest.ComposeCopy(composeFile.path().toString(), COMPOSE_COPY, Sha256.of(content));
        } catch (IOException e) {
            throw new EnvironmentException("cannot copy " + composeFile.path() + " into the backup: " + ArchiveWriter.reason(e), e);
        }
    }
}
