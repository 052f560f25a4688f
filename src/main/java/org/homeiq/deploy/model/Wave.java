package org.homeiq.deploy.model;

import java.util.List;

/**
 * A group of services rebuilt and gated together, in the plan's order.
 *
 * @param id stable identifier used on the command line ({@code d3-ai-core}, {@code p2-ai-batch1})
 * @param title the plan's heading for it
 * @param when the plan's time slot ("morning", "afternoon"), empty for rebuild phases
 * @param mode sequential or parallel
 * @param services service names in the plan's order
 * @param gate name of the gate settings applied after each service
 */
public record Wave(String id, String title, String when, WaveMode mode, List<String> services, String gate) {
    public Wave {
        services = List.copyOf(services);
    }
}
