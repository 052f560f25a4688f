package org.homeiq.deploy.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.homeiq.deploy.InputLimit;

/**
 * {@code manifest.json} of one backup: what is in it and how to check it. Written last, inside the
 * temporary directory, so a directory with a manifest under its final name is a complete backup.
 * Holds no secret: the {@code .env} appears only as key names and keyed fingerprints.
 */
@JsonPropertyOrder({"format", "id", "label", "createdAt", "project", "composeFile", "volumes", "images", "env", "quiesced"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
        int format,
        String id,
        String label,
        String createdAt,
        String project,
        ComposeCopy composeFile,
        List<VolumeArchive> volumes,
        List<RestorePoint> images,
        EnvFingerprint env,
        List<String> quiesced) {

    public static final String FILE = "manifest.json";
    public static final int FORMAT = 1;

    /** The compose file as it was, stored next to the manifest. */
    public record ComposeCopy(String source, String file, String sha256) {
    }

    /** One volume: {@code name} as the compose file names it, {@code dockerVolume} as Docker does. */
    @JsonPropertyOrder({"name", "dockerVolume", "file", "compression", "tarBytes", "archiveBytes", "sha256"})
    public record VolumeArchive(String name, String dockerVolume, String file, String compression,
            long tarBytes, long archiveBytes, String sha256) {
    }

    /** A service image and the tag that keeps it: {@code restoreTag} points at {@code imageId}. */
    public record RestorePoint(String service, String image, String restoreTag, String imageId) {
    }

    /**
     * The {@code .env}: key names with the HMAC-SHA256 of each value under the stack's
     * {@link org.homeiq.deploy.secrets.FingerprintKey} ({@code keyId} names it), never a value.
     * Manifests written before keyed fingerprints have {@code sha256} (plain SHA-256) instead.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EnvFingerprint(String file, String keyId, Map<String, String> hmacSha256, Map<String, String> sha256) {
        public boolean keyed() {
            return hmacSha256 != null;
        }

        /** The fingerprints by key name, keyed or not. */
        public Map<String, String> values() {
            return keyed() ? hmacSha256 : sha256 == null ? Map.of() : sha256;
        }
    }

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    /** Reads a manifest; a missing or malformed one means the backup is not usable. */
    public static Manifest read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BackupFailedException("backup " + file.getParent().getFileName() + " has no " + FILE + ": it is partial");
        }
        InputLimit.MANIFEST.check(file);
        Manifest m;
        try {
            m = JSON.readValue(file.toFile(), Manifest.class);
        } catch (IOException e) {
            throw new BackupFailedException(file + " is malformed: " + ArchiveWriter.reason(e), e);
        }
        if (m.id() == null || m.volumes() == null || m.createdAt() == null) {
            throw new BackupFailedException(file + " is malformed: id, createdAt and volumes are required");
        }
        for (VolumeArchive v : m.volumes()) {
            if (v.file() == null || v.sha256() == null || v.compression() == null || v.file().contains("/")) {
                throw new BackupFailedException(file + " is malformed: volume " + v.name() + " lacks file, sha256 or compression");
            }
        }
        return m;
    }

    public List<RestorePoint> images() {
        return images == null ? List.of() : images;
    }
}
