package org.homeiq.deploy;

/**
 * Input the engine cannot act on: a malformed file, an unknown service, a bad option. Thrown
 * before anything is changed; the message names the file and line (or the option) at fault.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
