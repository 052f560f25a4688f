package org.homeiq.deploy.model;

/** How a wave takes its services: one after another, or several at a time. */
public enum WaveMode {
    /** Each service healthy before the next is touched. */
    SEQUENTIAL,
    /** Every service deployed at once, or up to a bound ({@code --max-parallel}). */
    PARALLEL;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Deploys of a wave of {@code services} in flight at once: one in a sequential wave; in a parallel
     * one all of them (watching is one event stream and one clock, not a thread each), or at most
     * {@code maxParallel} when given.
     */
    public int inFlight(int services, Integer maxParallel) {
        if (this == SEQUENTIAL) {
            return 1;
        }
        return Math.max(1, maxParallel == null ? services : Math.min(maxParallel, services));
    }

    /** How a parallel wave's deploys go, for people: "all at once", or "at most N at a time" when bounded. */
    public String inFlightLabel(int services, Integer maxParallel) {
        return maxParallel == null ? "all at once" : "at most " + inFlight(services, maxParallel) + " at a time";
    }
}
