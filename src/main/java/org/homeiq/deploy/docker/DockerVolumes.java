package org.homeiq.deploy.docker;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Named volumes and their content, as backup and restore need them. Content is copied through the
 * Engine API's archive endpoint ({@code docker cp}) of a container that is created from an image
 * the host already has and never started: no helper image, no process in a container. The real one is
 * {@link EngineApi}. Daemon failures are {@link org.homeiq.deploy.EnvironmentException}s.
 */
public interface DockerVolumes {

    /**
     * A container (any state) that mounts a volume, with its compose labels (null when it has
     * none); {@code copy} when it is one of this interface's own copy containers (a killed run's).
     */
    record User(String containerId, String containerName, String project, String service, boolean copy) {
    }

    Optional<VolumeInfo> volume(String name);

    /** Names of the volumes that carry every one of these labels. */
    List<String> volumes(Map<String, String> labels);

    /** Creates a local volume with these labels. */
    void createVolume(String name, Map<String, String> labels);

    /** Removes a volume; a missing one is fine. Fails while a container (running or not) mounts it. */
    void removeVolume(String name);

    /**
     * Whether removing and creating the volume again leaves it empty: its data lives in Docker's
     * own storage (local driver, no driver options such as a bind {@code device} or NFS).
     */
    boolean emptiedByRecreating(String name);

    /** Removes the volume and creates it again, empty, with the same driver, options and labels. */
    void recreateEmpty(String name);

    /** The containers, in any state, that mount the volume. */
    List<User> users(String volume);

    /** Removes a container (its named volumes stay); a missing one is fine. */
    void removeContainer(String id);

    /**
     * Streams the volume's whole content into {@code tar} as a tar stream of {@code ./}-relative
     * entries (numeric owners, modes, links as they are), through a never-started container of
     * {@code image} that mounts the volume read-only.
     */
    void readVolume(String volume, String image, OutputStream tar);

    /** Extracts a tar stream into the volume (owners and modes as the entries say), the same way. */
    void writeVolume(String volume, String image, InputStream tar);
}
