package org.homeiq.deploy.health;

/**
 * One probe's verdict for one service (a JUnit testcase in the report).
 *
 * @param name the probe: {@code http}, {@code running}, {@code docker-health}, {@code restarts},
 *     {@code stability}, {@code log-errors}
 * @param passed whether it passed
 * @param expected what it needed to see
 * @param seen what it saw last
 */
public record Check(String name, boolean passed, String expected, String seen) {
    public String message() {
        return name + ": expected " + expected + ", saw " + seen;
    }
}
