package org.homeiq.deploy.docker;

import java.util.List;

/**
 * What one external command did.
 *
 * @param command the argument array that was run
 * @param exitCode its exit code (-1 when it was killed on timeout)
 * @param stdout everything it wrote to stdout (empty when stdout was streamed elsewhere)
 * @param stderr everything it wrote to stderr
 * @param timedOut true when it ran past its timeout and was killed
 */
public record ProcessResult(List<String> command, int exitCode, String stdout, String stderr, boolean timedOut) {
    public ProcessResult {
        command = List.copyOf(command);
    }

    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }

    /** The command as a readable line for messages (never passed to a shell). */
    public String commandLine() {
        return String.join(" ", command);
    }

    /** stderr, or stdout when stderr is empty: the part worth showing in an error. */
    public String diagnostic() {
        String s = stderr.isBlank() ? stdout : stderr;
        return s.strip();
    }
}
