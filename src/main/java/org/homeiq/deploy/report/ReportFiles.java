package org.homeiq.deploy.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.health.Check;
import org.homeiq.deploy.model.Durations;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.homeiq.deploy.secrets.Encodings;
import org.homeiq.deploy.secrets.Masker;

/**
 * Writes a {@link RunReport} as JSON (for machines) and as JUnit XML (Blue Ocean's Tests tab: one
 * testcase per service and check; the failure message is the reason; system-out holds the
 * container's last log lines). Every byte written passes through the run's {@link Masker}.
 */
public final class ReportFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Masker masker;

    public ReportFiles(Masker masker) {
        this.masker = masker;
    }

    public void writeJson(RunReport report, Path file) {
        write(file, json(report));
    }

    public void writeJunit(RunReport report, Path file) {
        write(file, junit(report));
    }

    public String json(RunReport report) {
        var root = new LinkedHashMap<String, Object>();
        root.put("command", report.command());
        root.put("runId", report.runId());
        root.put("started", report.started().toString());
        root.put("startedAt", report.started().toString());
        root.put("exitCode", report.exitCode());
        root.put("result", report.failures().isEmpty() && report.exitCode() == 0 ? "passed" : "failed");
        root.put("wallTimeMs", report.wallTime().toMillis());
        root.put("sumTimeToHealthyMs", report.sumTimeToHealthy().toMillis());
        var services = new ArrayList<Map<String, Object>>();
        for (RunReport.Entry e : report.entries()) {
            var m = new LinkedHashMap<String, Object>();
            m.put("service", e.service());
            m.put("wave", e.wave());
            m.put("status", e.status());
            m.put("failed", e.isFailed());
            m.put("reason", e.reason());
            m.put("timeToHealthyMs", e.timeToHealthy() == null ? null : e.timeToHealthy().toMillis());
            m.put("elapsedMs", e.elapsed() == null ? null : e.elapsed().toMillis());
            m.put("recoveryMs", e.recovery() == null ? null : e.recovery().toMillis());
            m.put("timeline", timeline(report, e));
            m.put("actions", e.actions());
            var checks = new ArrayList<Map<String, Object>>();
            for (Check c : e.checks()) {
                var cm = new LinkedHashMap<String, Object>();
                cm.put("name", c.name());
                cm.put("passed", c.passed());
                cm.put("expected", c.expected());
                cm.put("seen", c.seen());
                checks.add(cm);
            }
            m.put("checks", checks);
            m.put("lastLogLines", e.logs());
            services.add(m);
        }
        root.put("services", services);
        try {
            return masker.mask(JSON.writeValueAsString(root)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The service's run events as offsets from the run's start (bench/rollout.sh reads these names). */
    static Map<String, Object> timeline(RunReport report, RunReport.Entry e) {
        var t = new LinkedHashMap<String, Object>();
        t.put("buildStartMs", report.offsetMs(e.at("build-started")));
        t.put("buildEndMs", report.offsetMs(e.at("built") != null ? e.at("built") : e.at("build-failed")));
        t.put("deployStartMs", report.offsetMs(e.at("deploying")));
        t.put("containerStartMs", report.offsetMs(e.at("container-started")));
        t.put("healthyMs", report.offsetMs(e.at("healthy")));
        t.put("windowPassedMs", report.offsetMs(e.at("window-passed")));
        t.put("oldStoppedMs", report.offsetMs(e.at("old-stopped")));
        Long down = e.at("old-stopped") == null || e.at("healthy") == null ? null
                : Math.max(0, java.time.Duration.between(e.at("old-stopped"), e.at("healthy")).toMillis());
        t.put("downtimeMs", down);
        return t;
    }

    /**
     * The JUnit XML, written by the JDK's StAX writer and then masked as written: the masker knows
     * every secret form as this writer escapes it ({@code &lt;}, {@code &quot;}, ...), in text and
     * attributes alike, so what Jenkins decodes for its Tests tab is masked too.
     */
    public String junit(RunReport report) {
        var out = new StringWriter();
        try {
            XMLStreamWriter w = Encodings.XML.createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.writeStartElement("testsuites");
            w.writeCharacters("\n  ");
            w.writeStartElement("testsuite");
            List<RunReport.Entry> entries = report.entries();
            int tests = 0;
            int failures = 0;
            for (RunReport.Entry e : entries) {
                for (Check c : checksOf(e)) {
                    tests++;
                    failures += "skipped".equals(e.status()) || c.passed() ? 0 : 1;
                }
            }
            w.writeAttribute("name", xml("homeiq " + report.command()));
            w.writeAttribute("tests", Integer.toString(tests));
            w.writeAttribute("failures", Integer.toString(failures));
            w.writeAttribute("errors", "0");
            w.writeAttribute("time", String.format(Locale.ROOT, "%.3f", report.wallTime().toMillis() / 1000.0));
            w.writeAttribute("timestamp", report.started().toString().replaceFirst("\\.\\d+Z$", "").replace("Z", ""));
            for (RunReport.Entry e : entries) {
                String classname = "homeiq." + (e.wave() == null ? "services" : e.wave()) + "." + e.service();
                List<Check> cs = checksOf(e);
                for (Check c : cs) {
                    w.writeCharacters("\n    ");
                    w.writeStartElement("testcase");
                    w.writeAttribute("classname", xml(classname));
                    w.writeAttribute("name", xml(c.name()));
                    w.writeAttribute("time", seconds(e));
                    if (c == cs.get(0)) {
                        // The service's timeline once, on its first testcase: offsets from the run's start.
                        w.writeCharacters("\n      ");
                        w.writeStartElement("properties");
                        for (var p : timeline(report, e).entrySet()) {
                            w.writeCharacters("\n        ");
                            w.writeEmptyElement("property");
                            w.writeAttribute("name", p.getKey());
                            w.writeAttribute("value", p.getValue() == null ? "" : p.getValue().toString());
                        }
                        w.writeCharacters("\n      ");
                        w.writeEndElement();
                    }
                    if ("skipped".equals(e.status()) && !c.passed()) {
                        w.writeCharacters("\n      ");
                        w.writeEmptyElement("skipped");
                        w.writeAttribute("message", xml(e.reason()));
                    } else if (!c.passed()) {
                        w.writeCharacters("\n      ");
                        w.writeStartElement("failure");
                        w.writeAttribute("message", xml(e.reason().isEmpty() ? c.message() : e.reason()));
                        w.writeAttribute("type", xml(c.name()));
                        w.writeCharacters(xml(c.message() + "\nwhat the tool did: " + String.join("; ", e.actions())));
                        w.writeEndElement();
                    }
                    if (!e.logs().isEmpty() && !c.passed()) {
                        w.writeCharacters("\n      ");
                        w.writeStartElement("system-out");
                        w.writeCharacters(xml(String.join("\n", e.logs())));
                        w.writeEndElement();
                    }
                    w.writeCharacters("\n    ");
                    w.writeEndElement();
                }
            }
            w.writeCharacters("\n  ");
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the JUnit report", e);
        }
        return masker.mask(out.toString());
    }

    /** The checks shown as testcases: nothing probed (skipped after an earlier failure) is still one. */
    private static List<Check> checksOf(RunReport.Entry e) {
        List<Check> checks = e.checks();
        return checks.isEmpty() ? List.of(new Check("gate", !e.isFailed(), "a result", e.status())) : checks;
    }

    private static String seconds(RunReport.Entry e) {
        return String.format(Locale.ROOT, "%.3f", e.elapsed() == null ? 0.0 : e.elapsed().toMillis() / 1000.0);
    }

    /**
     * Drops what XML 1.0 cannot carry (container logs may hold any byte); escaping is the
     * writer's. Control characters are dropped before masking, so a secret cut by one is whole
     * again when the masker sees the text.
     */
    static String xml(String s) {
        if (s == null) {
            return "";
        }
        var sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != 0xFFFE && c != 0xFFFF || c == '\n' || c == '\t' || c == '\r') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EnvironmentException("cannot write report " + file + ": " + e.getMessage(), e);
        }
    }

    /** The summary printed last in the stage log: what failed, which check, expected vs seen, what was done. */
    public static List<String> summary(RunReport report) {
        var out = new ArrayList<String>();
        out.add("");
        out.add("== Summary: " + report.command() + (report.runId() == null ? "" : " (run " + report.runId() + ")") + " ==");
        for (RunReport.Entry e : report.entries()) {
            String tth = e.timeToHealthy() == null ? "" : "healthy after " + Durations.format(e.timeToHealthy());
            out.add(String.format(Locale.ROOT, "  %-28s %-18s %-20s%s", e.service(), e.status(), tth,
                    e.actions().isEmpty() ? "" : "  [" + String.join(", ", e.actions()) + "]"));
        }
        List<RunReport.Entry> failed = report.failures();
        for (RunReport.Entry e : failed) {
            out.add("");
            out.add("FAILED " + e.service() + (e.wave() == null ? "" : " (wave " + e.wave() + ")") + ": " + e.reason());
            e.checks().stream().filter(c -> !c.passed()).findFirst().ifPresent(c -> {
                out.add("  check:    " + c.name());
                out.add("  expected: " + c.expected());
                out.add("  seen:     " + c.seen());
            });
            out.add("  done:     " + (e.actions().isEmpty() ? "nothing" : String.join("; ", e.actions())));
            if (!e.logs().isEmpty()) {
                out.add("  last log lines of " + e.service() + ":");
                e.logs().forEach(l -> out.add("    | " + l));
            }
        }
        out.add("");
        out.add(String.format(Locale.ROOT, "%s: %d service%s, %d failed, wall time %s, sum of time-to-healthy %s",
                failed.isEmpty() ? "PASSED" : "FAILED", report.entries().size(), report.entries().size() == 1 ? "" : "s",
                failed.size(), Durations.format(report.wallTime()), Durations.format(report.sumTimeToHealthy())));
        return out;
    }
}
