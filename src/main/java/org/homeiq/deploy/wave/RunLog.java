package org.homeiq.deploy.wave;

import java.time.Instant;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.report.RunReport;

/**
 * Each thing that happens to a service in a run is one event, written once here and read by all
 * three: the journal (forced to disk, for a rollback after a crash), the report's timeline and the
 * console. The console line is optional; the journal carries names and times, never log text.
 */
public final class RunLog {
    private final Journal journal;
    private final Console console;

    /** @param journal the run's journal, or null for a command that keeps none */
    public RunLog(Journal journal, Console console) {
        this.journal = journal;
        this.console = console;
    }

    public Console console() {
        return console;
    }

    /** An event now. */
    public void event(RunReport.Entry entry, String what, String line) {
        event(entry, what, Instant.now(), line);
    }

    /** An event at the time it happened (a container's start, the moment it was seen healthy). */
    public void event(RunReport.Entry entry, String what, Instant at, String line) {
        if (journal != null) {
            journal.event(entry.service(), what, at);
        }
        entry.event(what, at);
        if (line != null) {
            console.line(line);
        }
    }
}
