package org.homeiq.deploy.model;

import java.time.Duration;

/**
 * What "healthy" means after a wave: the plan's machine-checkable success criteria, named.
 *
 * @param name the name waves refer to ({@code deploy}, {@code phase1})
 * @param description the plan's own words for it
 * @param stabilityWindow how long a service must stay healthy with no restart
 * @param logLines how many recent log lines are searched for errors (0 = none)
 * @param errorPattern regular expression that marks an error line
 * @param latencyTolerancePercent allowed slowdown of the health endpoint vs. a baseline, or null
 */
public record GateSettings(
        String name,
        String description,
        Duration stabilityWindow,
        int logLines,
        String errorPattern,
        Integer latencyTolerancePercent) {
}
