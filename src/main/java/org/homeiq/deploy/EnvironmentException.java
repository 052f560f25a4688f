package org.homeiq.deploy;

/** The machine cannot do the work: Docker missing or down, disk full, a file not writable. */
public class EnvironmentException extends RuntimeException {
    public EnvironmentException(String message) {
        super(message);
    }

    public EnvironmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
