package org.homeiq.deploy.model;

import java.time.Duration;
import java.util.List;

/**
 * One HomeIQ service as the inventory describes it.
 *
 * @param name the compose service name
 * @param group the plan's group (infrastructure, core, ai-ml, ...)
 * @param port the host port the service publishes (after any port offset)
 * @param extraPorts further host ports (Jaeger's OTLP receivers)
 * @param health where the service answers its health check
 * @param dependsOn names of the services it needs (Appendix A), already resolved to full names
 * @param rebuilt true when built from source; false for official images that are only restarted
 * @param maxWait the plan's per-service wait, used as the upper bound on time-to-healthy
 */
public record Service(
        String name,
        String group,
        int port,
        List<Integer> extraPorts,
        HealthCheck health,
        List<String> dependsOn,
        boolean rebuilt,
        Duration maxWait) {

    public Service {
        extraPorts = List.copyOf(extraPorts);
        dependsOn = List.copyOf(dependsOn);
    }

    /** All host ports this service publishes. */
    public List<Integer> hostPorts() {
        var all = new java.util.ArrayList<Integer>();
        all.add(port);
        all.addAll(extraPorts);
        return all;
    }
}
