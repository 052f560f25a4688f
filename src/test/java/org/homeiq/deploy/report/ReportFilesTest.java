package org.homeiq.deploy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.homeiq.deploy.health.Check;
import org.homeiq.deploy.health.Outcome;
import org.homeiq.deploy.health.ServiceHealth;
import org.homeiq.deploy.secrets.Masker;
import org.homeiq.deploy.secrets.SecretSearch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class ReportFilesTest {
    private static final String SECRET = "s3cr3t-token-value";

    private RunReport report() {
        RunReport r = new RunReport("rebuild-wave --wave d1-core");
        r.add("data-api", "d1-core").health(new ServiceHealth("data-api", Outcome.HEALTHY, "",
                List.of(new Check("http", true, "2xx", "HTTP 200")), Duration.ofMillis(420), Duration.ofSeconds(2), List.of(), null));
        r.add("admin-api", "d1-core").health(new ServiceHealth("admin-api", Outcome.TIMED_OUT,
                "timed out after 5s: http: expected 2xx, saw HTTP 404",
                List.of(new Check("running", true, "running", "running"), new Check("http", false, "2xx", "HTTP 404")),
                null, Duration.ofSeconds(5), List.of("connecting with token=" + SECRET + " <&> \u0001bell"), null))
                .action("rolled back");
        r.finish(1);
        return r;
    }

    @Test
    void junitHasOneTestcasePerServiceAndCheckWithReasonAndLogs() throws Exception {
        var masker = new Masker();
        masker.add(SECRET);
        String xml = new ReportFiles(masker).junit(report());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertEquals(3, doc.getElementsByTagName("testcase").getLength());
        assertEquals(1, doc.getElementsByTagName("failure").getLength());
        assertEquals("timed out after 5s: http: expected 2xx, saw HTTP 404",
                doc.getElementsByTagName("failure").item(0).getAttributes().getNamedItem("message").getNodeValue());
        String out = doc.getElementsByTagName("system-out").item(0).getTextContent();
        assertTrue(out.contains("token=****"), out);
        assertFalse(xml.contains(SECRET), "secrets never reach a report");
    }

    @Test
    void jsonIsMaskedAndCarriesTheFigures() throws Exception {
        var masker = new Masker();
        masker.add(SECRET);
        String json = new ReportFiles(masker).json(report());
        assertFalse(json.contains(SECRET));
        var root = new ObjectMapper().readTree(json);
        assertEquals("failed", root.get("result").asText());
        assertEquals(420, root.get("sumTimeToHealthyMs").asLong());
        assertEquals("timed out", root.get("services").get(1).get("status").asText());
    }

    @Test
    void summaryNamesTheFailedServiceCheckExpectedSeenAndWhatWasDone() {
        String text = String.join("\n", ReportFiles.summary(report()));
        assertTrue(text.contains("FAILED admin-api (wave d1-core)"), text);
        assertTrue(text.contains("check:    http"), text);
        assertTrue(text.contains("expected: 2xx"), text);
        assertTrue(text.contains("seen:     HTTP 404"), text);
        assertTrue(text.contains("done:     rolled back"), text);
    }

    @Test
    void everyServiceHasItsTimelineAsOffsetsFromTheRunsStart() throws Exception {
        RunReport r = new RunReport("rebuild-wave --services data-api");
        java.time.Instant t = r.started();
        RunReport.Entry e = r.add("data-api", "services");
        e.event("build-started", t.plusMillis(10)).event("built", t.plusMillis(1200)).event("deploying", t.plusMillis(1300))
                .event("old-stopped", t.plusMillis(1500)).event("container-started", t.plusMillis(1700))
                .event("healthy", t.plusMillis(2500)).event("window-passed", t.plusMillis(7500))
                .event("healthy", t.plusMillis(9999)); // a later one (the restore point's) does not move the first
        r.add("admin-api", "services").status("skipped");
        r.finish(0);
        var json = new ObjectMapper().readTree(new ReportFiles(new Masker()).json(r));
        assertEquals(r.started().toString(), json.get("startedAt").asText());
        var tl = json.get("services").get(0).get("timeline");
        assertEquals(10, tl.get("buildStartMs").asLong());
        assertEquals(1200, tl.get("buildEndMs").asLong());
        assertEquals(1300, tl.get("deployStartMs").asLong());
        assertEquals(1700, tl.get("containerStartMs").asLong());
        assertEquals(2500, tl.get("healthyMs").asLong());
        assertEquals(7500, tl.get("windowPassedMs").asLong());
        assertEquals(1500, tl.get("oldStoppedMs").asLong());
        assertEquals(1000, tl.get("downtimeMs").asLong(), "old container stopped -> new one healthy");
        var skipped = json.get("services").get(1).get("timeline");
        assertTrue(skipped.get("deployStartMs").isNull() && skipped.get("downtimeMs").isNull(), skipped.toString());
        String xml = new ReportFiles(new Masker()).junit(r);
        assertTrue(xml.contains("<property name=\"healthyMs\" value=\"2500\"/>"), xml);
    }

    @Test
    void secretsWithMarkupQuotesAndLineBreaksAreAbsentFromJunitAndJsonInEveryForm(@TempDir Path dir) throws Exception {
        List<String> secrets = List.of("K<ey>\"&'\\$%", "a&b<c>d\"e'f\\g$h%i\nsecond line of it", "]]><!--x-->&amp;");
        var masker = new Masker();
        secrets.forEach(masker::add);
        RunReport r = new RunReport("health-gate --services admin-api");
        var logs = new java.util.ArrayList<String>();
        for (String s : secrets) {
            logs.add("raw " + s);
            logs.add("json " + new ObjectMapper().writeValueAsString(Map.of("key", s)));
            logs.add("xml <k v=\"" + s.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;") + "\"/>");
        }
        String all = String.join(" | ", secrets);
        r.add("admin-api", "d1").health(new ServiceHealth("admin-api", Outcome.UNHEALTHY, "log error: " + all,
                List.of(new Check("log-errors", false, "no " + all, "'" + all + "'")), null, Duration.ofSeconds(1), logs, null))
                .action("saw " + all);
        r.finish(1);
        var files = new ReportFiles(masker);
        files.writeJunit(r, dir.resolve("gate.xml"));
        files.writeJson(r, dir.resolve("gate.json"));
        for (String s : secrets) {
            new SecretSearch(s).assertAbsentInFiles(dir, f -> true); // bytes, and the XML as decoded
        }
        String decoded = SecretSearch.decodedXml(dir.resolve("gate.xml"));
        assertTrue(decoded.contains("raw ****"), decoded);
        assertTrue(new ObjectMapper().readTree(dir.resolve("gate.json").toFile()).get("services").get(0)
                .get("reason").asText().startsWith("log error: ****"));
    }
}
