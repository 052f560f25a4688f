package org.homeiq.deploy.docker;

import java.time.Instant;

/**
 * One container event from Docker's event stream.
 *
 * @param containerId full container id
 * @param service the compose service (label {@code com.docker.compose.service}), or null
 * @param action Docker's action word without its detail: start, die, restart, kill, stop,
 *     destroy, create, health_status, oom
 * @param health for health_status: healthy, unhealthy or starting; otherwise null
 * @param exitCode for die: the exit code; otherwise null
 * @param time when Docker says it happened
 */
public record ContainerEvent(String containerId, String service, String action, String health, Integer exitCode, Instant time) {
}
