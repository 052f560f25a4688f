package org.homeiq.deploy.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.homeiq.deploy.ExitCode;
import org.homeiq.deploy.health.Check;
import org.homeiq.deploy.secrets.Masker;

/**
 * The one file a pipeline step reads after an engine call ({@code --result FILE}), written for
 * every exit: the exit code, a one-line outcome, the failure text (the engine's words, the step
 * repeats them as they are), what failed (service, wave, check) and where the reports are.
 */
public final class StepResult {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int SHORT = 100;

    private final String command;
    private final int exitCode;
    private final RunReport report;
    private final String error;
    private final String lastLine;
    private final Path json;
    private final Path junit;

    /**
     * @param command the command as run, e.g. {@code rebuild-wave}
     * @param report what a Docker command did, or null (no report: other commands, or it stopped early)
     * @param error the error the engine printed for exit 2, 3 or an internal error, or null
     * @param lastLine the last line the command printed, the outcome of commands without a report
     * @param json the JSON report written, or null
     * @param junit the JUnit report written, or null
     */
    public StepResult(String command, int exitCode, RunReport report, String error, String lastLine, Path json, Path junit) {
        this.command = command;
        this.exitCode = exitCode;
        this.report = report;
        this.error = error;
        this.lastLine = lastLine;
        this.json = json;
        this.junit = junit;
    }

    /** One line for the build description, e.g. "FAILED: admin-api unhealthy (docker-health); rolled back". */
    public String outcome() {
        if (error != null) {
            return kind() + ": " + firstLine(error);
        }
        if (report == null || report.entries().isEmpty()) {
            String said = lastLine == null || lastLine.isBlank() ? "done" : lastLine.trim();
            return exitCode == ExitCode.OK ? said : "FAILED: " + said;
        }
        String healthy = healthy() + "/" + report.entries().size() + " healthy";
        List<RunReport.Entry> failed = report.failures();
        if (failed.isEmpty()) {
            return "PASSED, " + healthy;
        }
        RunReport.Entry first = failed.get(0);
        // Services skipped after the first failure are not failures of their own.
        long more = failed.stream().skip(1).filter(e -> !"skipped".equals(e.status())).count();
        return "FAILED" + (first.wave() == null ? "" : " at " + first.wave()) + ": " + what(first)
                + (more > 0 ? " (and " + more + " more)" : "") + "; " + healthy;
    }

    /** The failure text for the stage's error, or null on exit 0. */
    public String failure() {
        if (exitCode == ExitCode.OK) {
            return null;
        }
        if (error != null) {
            return kind() + " (engine exit " + exitCode + ")" + (exitCode == ExitCode.BAD_INPUT ? ", nothing was changed" : "")
                    + ": " + error;
        }
        if (report == null || report.failures().isEmpty()) {
            return outcome();
        }
        // The same words the console's summary ends with, from the first failed service on.
        List<String> summary = ReportFiles.summary(report);
        int from = 0;
        while (from < summary.size() && !summary.get(from).startsWith("FAILED ")) {
            from++;
        }
        return String.join("\n", summary.subList(Math.min(from, summary.size()), summary.size())).strip();
    }

    public void write(Path file, Masker masker) {
        var root = new LinkedHashMap<String, Object>();
        root.put("command", report == null ? command : report.command());
        root.put("exitCode", exitCode);
        root.put("outcome", outcome());
        root.put("failure", failure());
        var failed = new ArrayList<Map<String, Object>>();
        if (report != null) {
            for (RunReport.Entry e : report.failures()) {
                var m = new LinkedHashMap<String, Object>();
                m.put("service", e.service());
                m.put("wave", e.wave());
                m.put("check", failedCheck(e) == null ? null : failedCheck(e).name());
                m.put("status", e.status());
                m.put("what", what(e));
                m.put("actions", e.actions());
                failed.add(m);
            }
            root.put("services", report.entries().size());
            root.put("healthy", healthy());
        }
        root.put("failed", failed);
        var reports = new LinkedHashMap<String, Object>();
        reports.put("json", json == null ? null : json.toString());
        reports.put("junit", junit == null ? null : junit.toString());
        root.put("reports", reports);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, masker.mask(JSON.writeValueAsString(root)) + "\n", StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            // Nowhere left to report it but stderr: the step then says the engine wrote no result.
            System.err.println("cannot write the result file " + file + ": " + e.getMessage());
        }
    }

    private long healthy() {
        return report.entries().stream().filter(e -> !e.isFailed()).count();
    }

    private String kind() {
        return switch (exitCode) {
            case ExitCode.BAD_INPUT -> "configuration error";
            case ExitCode.ENVIRONMENT -> "environment error";
            default -> "internal error";
        };
    }

    /** "admin-api unhealthy (docker-health); rolled back": service, what was seen, the check, what was done. */
    private static String what(RunReport.Entry e) {
        Check c = failedCheck(e);
        String seen = c == null ? e.reason() : c.seen() + " (" + c.name() + ")";
        String done = e.status().equals("rolled back") || e.status().equals("not restored") || e.status().equals("rollback unhealthy")
                ? "; " + e.status() : "";
        return e.service() + " " + shorten(seen) + done;
    }

    private static Check failedCheck(RunReport.Entry e) {
        return e.checks().stream().filter(c -> !c.passed()).findFirst().orElse(null);
    }

    private static String shorten(String s) {
        String one = firstLine(s);
        return one.length() <= SHORT ? one : one.substring(0, SHORT - 3) + "...";
    }

    private static String firstLine(String s) {
        String t = s == null ? "" : s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
