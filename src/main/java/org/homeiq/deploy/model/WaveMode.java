package org.homeiq.deploy.model;

/** How a wave takes its services: one after another, or several at a time. */
public enum WaveMode {
    /** Each service healthy before the next is touched. */
    SEQUENTIAL,
    /** Up to a bounded number of services built and deployed at once. */
    PARALLEL;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
