package org.homeiq.deploy.health;

import java.time.Duration;
import java.util.List;

/**
 * One service's result from the health gate.
 *
 * @param service the service name
 * @param outcome healthy, unhealthy or timed out
 * @param reason one sentence: which check failed, expected vs seen (empty when healthy)
 * @param checks every probe's verdict, the failed one included
 * @param timeToHealthy from the start of the gate until every probe first passed, or null if never
 * @param elapsed how long the gate spent on this service
 * @param lastLogs the container's last log lines when it failed (empty when healthy)
 * @param latency median health-endpoint latency when it was measured, else null
 */
public record ServiceHealth(
        String service,
        Outcome outcome,
        String reason,
        List<Check> checks,
        Duration timeToHealthy,
        Duration elapsed,
        List<String> lastLogs,
        Duration latency) {

    public ServiceHealth {
        checks = List.copyOf(checks);
        lastLogs = List.copyOf(lastLogs);
    }

    public boolean healthy() {
        return outcome == Outcome.HEALTHY;
    }

    /** The first check that failed, if any. */
    public java.util.Optional<Check> failedCheck() {
        return checks.stream().filter(c -> !c.passed()).findFirst();
    }
}
