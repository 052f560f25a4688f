package org.homeiq.deploy.health;

/** How a service left the health gate. */
public enum Outcome {
    /** Every probe passed for the whole stability window (and no error lines in its log). */
    HEALTHY,
    /** A probe failed in a way waiting cannot fix: the container exited, restarted, logged errors. */
    UNHEALTHY,
    /** Not every probe passed before the service's timeout. */
    TIMED_OUT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
