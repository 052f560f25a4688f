package org.homeiq.deploy.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.homeiq.deploy.BadInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Latency against a real HTTP server on 127.0.0.1: one fast endpoint, one slow, one failing. */
class LatencyProbeTest {
    private HttpServer server;
    private URI base;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fast", x -> {
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.createContext("/slow", x -> {
            try {
                Thread.sleep(60); // the server's behaviour under test, not test synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.createContext("/broken", x -> {
            x.sendResponseHeaders(503, -1);
            x.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aSlowerEndpointFailsAgainstItsBaseline() {
        Duration slow = new LatencyProbe(5).median(base.resolve("/slow")).orElseThrow();
        assertTrue(slow.toMillis() >= 60, "median " + slow);
        Check c = LatencyProbe.judge(slow, Duration.ofMillis(10), 10);
        assertFalse(c.passed(), c.message());
        assertTrue(c.expected().contains("baseline 10.0ms + 10%"), c.expected());
    }

    @Test
    void anEndpointAsFastAsItsBaselinePasses() {
        Duration fast = new LatencyProbe(5).median(base.resolve("/fast")).orElseThrow();
        assertTrue(LatencyProbe.judge(fast, Duration.ofMillis(50), 10).passed());
    }

    @Test
    void aFailingRequestGivesNoMeasurement() {
        assertTrue(new LatencyProbe(3).median(base.resolve("/broken")).isEmpty());
    }

    @Test
    void baselineFilesRoundTripAndGarbageIsBadInputNamingTheFile() throws Exception {
        Path f = dir.resolve("baseline.json");
        new LatencyBaseline(Map.of("data-api", Duration.ofMillis(3))).write(f);
        assertEquals(Duration.ofMillis(3), LatencyBaseline.read(f).of("data-api").orElseThrow());

        Files.writeString(f, "{\"services\": {\n  \"data-api\": {\"latencyMs\": 3,,}\n}}");
        var e = assertThrows(BadInputException.class, () -> LatencyBaseline.read(f));
        assertTrue(e.getMessage().startsWith("--baseline " + f + ":2:"), e.getMessage());

        Files.writeString(f, "{\"services\": {\"data-api\": {\"latencyMs\": \"fast\"}}}");
        e = assertThrows(BadInputException.class, () -> LatencyBaseline.read(f));
        assertTrue(e.getMessage().contains("latencyMs"), e.getMessage());
    }
}
