package org.homeiq.deploy.health;

import java.time.Duration;
import java.util.regex.Pattern;
import org.homeiq.deploy.model.GateSettings;

/**
 * The gate's knobs after the plan's named settings and the command-line overrides are merged.
 *
 * @param name the plan's gate name (for the report)
 * @param stabilityWindow how long every probe must keep passing with no restart
 * @param logLines how many recent log lines to search for errors (0 = no search)
 * @param errorPattern what marks an error line, or null
 * @param timeout per-service timeout overriding the inventory's wait, or null
 * @param pollInterval time between probes
 * @param progressEvery how often a waiting service gets a progress line
 * @param latencyTolerancePercent allowed slowdown of the health endpoint vs the baseline, or null (10)
 * @param baseline health-endpoint latencies to compare with, or null
 * @param measureLatency measure every passing service's latency (for a new baseline)
 */
public record GateOptions(
        String name,
        Duration stabilityWindow,
        int logLines,
        Pattern errorPattern,
        Duration timeout,
        Duration pollInterval,
        Duration progressEvery,
        Integer latencyTolerancePercent,
        LatencyBaseline baseline,
        boolean measureLatency) {

    public static final Duration POLL = Duration.ofMillis(150);
    /**
     * HTTP probes during the stability window: exits and restarts arrive as Docker events at once,
     * so the window's probe only has to catch an endpoint that stops answering (two failures in a
     * row: within 2 s). Each probe costs CPU: at 500 ms a 45-service gate spent ~1 s of its 3 s on them.
     */
    public static final Duration WINDOW_POLL = Duration.ofSeconds(1);
    public static final Duration PROGRESS = Duration.ofSeconds(3);
    /** Log lines kept for the report when a service fails. */
    public static final int FAILURE_LOG_LINES = 20;

    public static GateOptions from(GateSettings g) {
        return new GateOptions(g.name(), g.stabilityWindow(), g.logLines(),
                g.errorPattern() == null ? null : Pattern.compile(g.errorPattern()), null, POLL, PROGRESS,
                g.latencyTolerancePercent(), null, false);
    }

    /** The same settings with the overrides given (null keeps the setting). */
    public GateOptions override(Duration newTimeout, Duration newWindow, Integer newLogLines, Pattern newPattern) {
        return new GateOptions(name,
                newWindow == null ? stabilityWindow : newWindow,
                newLogLines == null ? logLines : newLogLines,
                newPattern == null ? errorPattern : newPattern,
                newTimeout == null ? timeout : newTimeout,
                pollInterval, progressEvery, latencyTolerancePercent, baseline, measureLatency);
    }

    /** The same settings with a latency comparison and/or measurement (null keeps the setting). */
    public GateOptions withLatency(LatencyBaseline newBaseline, Integer newTolerance, boolean measure) {
        return new GateOptions(name, stabilityWindow, logLines, errorPattern, timeout, pollInterval, progressEvery,
                newTolerance == null ? latencyTolerancePercent : newTolerance,
                newBaseline == null ? baseline : newBaseline, measure || measureLatency);
    }

    /** The time a service has to become healthy: the override, else the inventory's wait. The window comes after it. */
    public Duration timeoutFor(org.homeiq.deploy.model.Service service) {
        return timeout != null ? timeout : service.maxWait();
    }

    /**
     * The settings for re-checking a service put back on its restore point: the previous version
     * gets its own time budget (the inventory's wait), never less than the override given for the new one.
     */
    public GateOptions forRestorePoint(org.homeiq.deploy.model.Service service) {
        Duration own = service.maxWait();
        Duration budget = timeout == null || own.compareTo(timeout) > 0 ? own : timeout;
        return new GateOptions(name, stabilityWindow, logLines, errorPattern, budget, pollInterval, progressEvery,
                latencyTolerancePercent, null, false);
    }

    /** The tolerance in effect: the gate's or the override, 10% when neither says. */
    public int tolerancePercent() {
        return latencyTolerancePercent == null ? 10 : latencyTolerancePercent;
    }

    /** Describes the settings for the stage log. */
    public String describe() {
        return "gate '" + name + "': stability window " + org.homeiq.deploy.model.Durations.format(stabilityWindow)
                + (logLines > 0 && errorPattern != null ? ", no /" + errorPattern.pattern() + "/ in the last " + logLines + " log lines" : "")
                + (baseline != null ? ", health latency within " + tolerancePercent() + "% of the baseline" : "")
                + (timeout != null ? ", timeout " + org.homeiq.deploy.model.Durations.format(timeout) + " per service" : ", timeout per service from the inventory");
    }
}
