package org.homeiq.deploy.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The probe against a real HTTP server: its answers, and a close that leaves no selector thread behind. */
class HttpHealthProbeTest {
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private URI serve(int status) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", x -> {
            x.sendResponseHeaders(status, -1);
            x.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health");
    }

    private static Set<Thread> selectors() {
        return Set.copyOf(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().endsWith("-SelectorManager")).toList());
    }

    @Test
    void answersAreWhatAPersonReads() throws Exception {
        URI uri = serve(503);
        try (var probe = new HttpHealthProbe()) {
            assertEquals("HTTP 503", probe.get(uri).join());
            assertFalse(HealthProbe.ok("HTTP 503"));
        }
    }

    /** JDK 17's client has no close: a selector thread left in epoll holds the JVM's exit up by 300 ms. */
    @Test
    void closeEndsTheClientsSelectorThread() throws Exception {
        URI uri = serve(200);
        Set<Thread> before = selectors();
        var probe = new HttpHealthProbe();
        assertEquals("HTTP 200", probe.get(uri).join());
        List<Thread> mine = selectors().stream().filter(t -> !before.contains(t)).toList();
        assertEquals(1, mine.size(), "one selector thread for the probe's client: " + mine);
        probe.close();
        assertFalse(mine.get(0).isAlive(), mine.get(0).getName() + " still runs after close()");
    }
}
