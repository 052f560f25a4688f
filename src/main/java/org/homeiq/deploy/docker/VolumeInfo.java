package org.homeiq.deploy.docker;

import java.util.Map;

/**
 * A named volume as {@code docker volume inspect} shows it.
 *
 * @param name the volume's full name (compose prefixes the project name)
 * @param driver its driver (local)
 * @param mountpoint where the daemon keeps it (on the Docker host)
 * @param labels its labels (compose sets com.docker.compose.project / .volume)
 */
public record VolumeInfo(String name, String driver, String mountpoint, Map<String, String> labels) {
    public VolumeInfo {
        labels = Map.copyOf(labels);
    }
}
