package org.homeiq.deploy.demo;

import java.time.Duration;

/**
 * How one miniature HomeIQ service behaves, baked into its image from the build context, so a
 * rebuild can make a bad image while the restore point keeps the good one.
 *
 * @param version what {@code GET /version} answers
 * @param startDelay how long after start {@code /health} begins to answer 2xx
 * @param neverHealthy {@code /health} never answers 2xx (404)
 * @param crashAfter the process exits with code 1 this long after start, or null
 * @param failBuild the Dockerfile fails to build
 * @param dockerHealthcheck the image defines a Docker HEALTHCHECK (probes /health every second)
 * @param logLine an extra line written to the log at start (e.g. an ERROR line), or null
 */
public record Behaviour(
        String version,
        Duration startDelay,
        boolean neverHealthy,
        Duration crashAfter,
        boolean failBuild,
        boolean dockerHealthcheck,
        String logLine) {

    /** Version 1, healthy right away. */
    public static Behaviour healthy() {
        return new Behaviour("1", Duration.ZERO, false, null, false, false, null);
    }

    public Behaviour version(String v) {
        return new Behaviour(v, startDelay, neverHealthy, crashAfter, failBuild, dockerHealthcheck, logLine);
    }

    public Behaviour startDelay(Duration d) {
        return new Behaviour(version, d, neverHealthy, crashAfter, failBuild, dockerHealthcheck, logLine);
    }

    public Behaviour neverGetsHealthy() {
        return new Behaviour(version, startDelay, true, crashAfter, failBuild, dockerHealthcheck, logLine);
    }

    public Behaviour crashAfter(Duration d) {
        return new Behaviour(version, startDelay, neverHealthy, d, failBuild, dockerHealthcheck, logLine);
    }

    public Behaviour failsToBuild() {
        return new Behaviour(version, startDelay, neverHealthy, crashAfter, true, dockerHealthcheck, logLine);
    }

    public Behaviour withDockerHealthcheck() {
        return new Behaviour(version, startDelay, neverHealthy, crashAfter, failBuild, true, logLine);
    }

    public Behaviour logLine(String line) {
        return new Behaviour(version, startDelay, neverHealthy, crashAfter, failBuild, dockerHealthcheck, line);
    }
}
