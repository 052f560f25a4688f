package org.homeiq.deploy.docker;

/**
 * A container as {@code docker inspect} shows it at one moment.
 *
 * @param id full container id
 * @param name container name without the leading slash
 * @param image the image reference it was created from (e.g. {@code proj-data-api:latest})
 * @param imageId the image id it runs ({@code sha256:...})
 * @param status docker's state word: created, running, restarting, exited, dead, ...
 * @param running true while the main process runs
 * @param exitCode the last exit code (0 while running)
 * @param restartCount how often docker restarted it under its restart policy
 * @param health the HEALTHCHECK status (starting, healthy, unhealthy), or null when it has none
 * @param startedAt when its current run started (RFC 3339, as docker writes it)
 */
public record ContainerState(
        String id,
        String name,
        String image,
        String imageId,
        String status,
        boolean running,
        int exitCode,
        int restartCount,
        String health,
        String startedAt) {

    public boolean hasHealthcheck() {
        return health != null;
    }

    /** Short form for progress lines: {@code running, health starting, 0 restarts}. */
    public String describe() {
        var sb = new StringBuilder(status);
        if (!running && !"created".equals(status)) {
            sb.append(" (exit code ").append(exitCode).append(')');
        }
        if (health != null) {
            sb.append(", health ").append(health);
        }
        if (restartCount > 0) {
            sb.append(", ").append(restartCount).append(restartCount == 1 ? " restart" : " restarts");
        }
        return sb.toString();
    }
}
