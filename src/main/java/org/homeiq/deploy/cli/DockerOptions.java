package org.homeiq.deploy.cli;

import java.nio.file.Path;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.report.ReportFiles;
import org.homeiq.deploy.report.RunReport;
import picocli.CommandLine.Option;

/** Options of the commands that act on Docker: the report files. */
public final class DockerOptions {
    @Option(names = "--json", paramLabel = "FILE", converter = ReportPath.class, description = "Write the machine-readable result here.")
    Path json;

    @Option(names = "--junit", paramLabel = "FILE", converter = ReportPath.class, description = "Write JUnit XML here (one testcase per service and check).")
    Path junit;

    /** The report published by this run, for the result file (null: the command stopped before). */
    RunReport published;

    /** Writes the requested report files, then prints the summary (always last in the stage log). */
    void publish(RunReport report, Console console) {
        published = report;
        var files = new ReportFiles(console.masker());
        if (json != null) {
            files.writeJson(report, json);
        }
        if (junit != null) {
            files.writeJunit(report, junit);
        }
        ReportFiles.summary(report).forEach(console::line);
        if (json != null) {
            console.line("JSON report: " + json);
        }
        if (junit != null) {
            console.line("JUnit report: " + junit);
        }
    }

    /**
     * A run that stopped before its report (exit 2, 3 or an internal error) still leaves the
     * --json it was asked for, saying how it ended; the reason is in the result file and on stderr.
     */
    void publishUnfinished(String command, int exitCode, Console console) {
        if (published != null || json == null) {
            return;
        }
        RunReport report = new RunReport(command);
        report.finish(exitCode);
        try {
            new ReportFiles(console.masker()).writeJson(report, json);
        } catch (RuntimeException e) {
            console.error("cannot write " + json + ": " + e.getMessage());
        }
    }
}
