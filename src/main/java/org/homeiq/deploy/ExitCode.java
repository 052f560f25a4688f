package org.homeiq.deploy;

/** The engine's exit codes: the contract the pipeline steps map to build results. */
public final class ExitCode {
    /** Done: the operation ran and every check passed. */
    public static final int OK = 0;
    /** The operation ran and failed its check (unhealthy, rolled back, corrupt backup). */
    public static final int CHECK_FAILED = 1;
    /** Bad input (unknown service, malformed file, bad option): nothing was changed. */
    public static final int BAD_INPUT = 2;
    /** Environment problem (no Docker, daemon down, disk full). */
    public static final int ENVIRONMENT = 3;
    /** A bug of the engine (an uncaught exception): never "check failed", which 1 keeps meaning. */
    public static final int INTERNAL = 4;

    private ExitCode() {
    }
}
