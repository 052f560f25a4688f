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
 * @param buildDelay how long the image's build runs a {@code sleep} step (zero: no such step), so
 *     builds take time as real ones do
 */
public record Behaviour(
        String version,
        Duration startDelay,
        boolean neverHealthy,
        Duration crashAfter,
        boolean failBuild,
        boolean dockerHealthcheck,
        String logLine,
        Duration buildDelay) {

    /** Version 1, healthy right away. */
    public static Behaviour healthy() {
        return new Behaviour("1", Duration.ZERO, false, null, false, false, null, Duration.ZERO);
    }

    public Behaviour version(String v) {
        return new Behaviour(v, startDelay, neverHealthy, crashAfter, failBuild, dockerHealthcheck, logLine, buildDelay);
    }

    public Behaviour startDelay(Duration d) {
        return new Behaviour(version, d, neverHealthy, crashAfter, failBuild, dockerHealthcheck, logLine, buildDelay);
    }

    public Behaviour neverGetsHealthy() {
        return new Behaviour(version, startDelay, true, crashAfter, failBuild, dockerHealthcheck, logLine, buildDelay);
    }

    public Behaviour crashAfter(Duration d) {
        return new Behaviour(version, startDelay, neverHealthy, d, failBuild, dockerHealthcheck, logLine, buildDelay);
    }

    public Behaviour failsToBuild() {
        return new Behaviour(version, startDelay, neverHealthy, crashAfter, true, dockerHealthcheck, logLine, buildDelay);
    }

    public Behaviour withDockerHealthcheck() {
        return new Behaviour(version, startDelay, neverHealthy, crashAfter, failBuild, true, logLine, buildDelay);
    }

    public Behaviour logLine(String line) {
        return new Behaviour(version, startDelay, neverHealthy, crashAfter, failBuild, dockerHealthcheck, line, buildDelay);
    }

    public Behaviour buildDelay(Duration d) {
        return new Behaviour(version, startDelay, neverHealthy, crashAfter, failBuild, dockerHealthcheck, logLine, d);
    }
}
