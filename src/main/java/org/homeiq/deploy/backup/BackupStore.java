package org.homeiq.deploy.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.EnvironmentException;

/**
 * The backups directory ({@code <project>/.homeiq/backups} or {@code --dest}). A backup is built
 * in a hidden temporary directory and renamed to its id when complete, so every visible directory
 * with a manifest is a whole backup and a failed one leaves nothing behind but what it removes.
 */
public final class BackupStore {
    static final String VERIFIED_FILE = "verified.json";
    private static final String TEMP_PREFIX = ".tmp-";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path root;

    public BackupStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** An id that sorts by time and says what the backup was for: {@code 20261126-210000Z-pre-rebuild}. */
    public String newId(Instant now, String label) {
        String base = ID_TIME.format(now) + "-" + label;
        String id = base;
        for (int n = 2; Files.exists(root.resolve(id)); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    /** Checks a user-given id before it becomes part of a path. */
    public static String requireValidId(String id, String option) {
        if (id == null || !ID.matcher(id).matches() || id.contains("..")) {
            throw new BadInputException(option + ": '" + id + "' is not a backup id (letters, digits, '.', '_', '-')");
        }
        return id;
    }

    /** A backup being written; {@link Pending#commit} publishes it, {@link Pending#abort} removes it. */
    public final class Pending {
        private final String id;
        private final Path dir;
        private boolean done;

        private Pending(String id, Path dir) {
            this.id = id;
            this.dir = dir;
        }

        public String id() {
            return id;
        }

        public Path dir() {
            return dir;
        }

        public StoredBackup commit(Manifest manifest) {
            Path target = root.resolve(id);
            try {
                manifest.write(dir.resolve(Manifest.FILE));
                try (var ch = java.nio.channels.FileChannel.open(dir.resolve(Manifest.FILE), java.nio.file.StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                throw new EnvironmentException("backup " + id + " already exists under " + root, e);
            } catch (AtomicMoveNotSupportedException e) {
                throw new EnvironmentException("cannot publish backup " + id + ": " + root + " does not support atomic rename", e);
            } catch (IOException e) {
                throw new EnvironmentException("cannot write backup " + id + " to " + root + ": " + ArchiveWriter.reason(e), e);
            }
            done = true;
            return new StoredBackup(id, target, manifest, null);
        }

        /** Removes the temporary directory; safe to call after commit (then it does nothing). */
        public void abort() {
            if (!done) {
                done = true;
                deleteTree(dir);
            }
        }
    }

    public Pending begin(String id) {
        requireValidId(id, "backup id");
        try {
            Files.createDirectories(root);
            Path dir = Files.createDirectory(root.resolve(TEMP_PREFIX + id + "-" + UUID.randomUUID().toString().substring(0, 8)));
            return new Pending(id, dir);
        } catch (IOException e) {
            throw new EnvironmentException("cannot create a backup under " + root + ": " + ArchiveWriter.reason(e), e);
        }
    }

    /** Complete backups, oldest first. Directories without a readable manifest are not backups. */
    public List<StoredBackup> list() {
        var out = new ArrayList<StoredBackup>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (name.startsWith(".") || !Files.isDirectory(dir) || !Files.isRegularFile(dir.resolve(Manifest.FILE))) {
                    continue;
                }
                try {
                    out.add(load(name, dir));
                } catch (BackupFailedException e) {
                    // A malformed manifest: not a backup we can offer; verify ID names the fault.
                }
            }
        } catch (IOException e) {
            throw new EnvironmentException("cannot list " + root + ": " + ArchiveWriter.reason(e), e);
        }
        out.sort(Retention.OLDEST_FIRST);
        return out;
    }

    /** The backup with this id; an unknown id is bad input, a damaged one a failed check. */
    public StoredBackup find(String id, String option) {
        requireValidId(id, option);
        Path dir = root.resolve(id);
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(option + ": no backup '" + id + "' under " + root);
        }
        return load(id, dir);
    }

    private StoredBackup load(String id, Path dir) {
        Manifest m = Manifest.read(dir.resolve(Manifest.FILE));
        Instant verifiedAt = null;
        Path marker = dir.resolve(VERIFIED_FILE);
        if (Files.isRegularFile(marker)) {
            try {
                JsonNode n = Manifest.JSON.readTree(marker.toFile());
                // The marker counts only for the manifest it was written for.
                if (manifestSha(dir).equals(n.path("manifestSha256").asText())) {
                    verifiedAt = Instant.parse(n.path("verifiedAt").asText());
                }
            } catch (IOException | RuntimeException e) {
                verifiedAt = null;
            }
        }
        return new StoredBackup(id, dir, m, verifiedAt);
    }

    /** Records that {@code backup verify} passed, for retention and {@code backup list}. */
    public void markVerified(StoredBackup b, Instant when) {
        try {
            Path tmp = b.dir().resolve(VERIFIED_FILE + ".tmp");
            Manifest.JSON.writeValue(tmp.toFile(), Map.of("verifiedAt", when.toString(), "manifestSha256", manifestSha(b.dir())));
            Files.move(tmp, b.dir().resolve(VERIFIED_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new EnvironmentException("cannot record verification of " + b.id() + ": " + ArchiveWriter.reason(e), e);
        }
    }

    /** Clears a stale verification (the backup just failed verify). */
    public void clearVerified(StoredBackup b) {
        try {
            Files.deleteIfExists(b.dir().resolve(VERIFIED_FILE));
        } catch (IOException e) {
            throw new EnvironmentException("cannot update " + b.dir() + ": " + ArchiveWriter.reason(e), e);
        }
    }

    private static String manifestSha(Path dir) throws IOException {
        return Sha256.of(Files.readAllBytes(dir.resolve(Manifest.FILE)));
    }

    /** Applies {@code --keep N}; returns the removed backups, oldest first. */
    public List<StoredBackup> prune(int keep) {
        List<StoredBackup> doomed = Retention.toPrune(list(), keep);
        for (StoredBackup b : doomed) {
            // Hide it first (atomic), so a crash mid-delete never leaves a half backup listed.
            Path hidden = root.resolve(".del-" + b.id() + "-" + UUID.randomUUID().toString().substring(0, 8));
            try {
                Files.move(b.dir(), hidden, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new EnvironmentException("cannot remove backup " + b.id() + ": " + ArchiveWriter.reason(e), e);
            }
            deleteTree(hidden);
        }
        return doomed;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new EnvironmentException("cannot remove " + dir + ": " + ArchiveWriter.reason(e), e);
        }
    }
}
