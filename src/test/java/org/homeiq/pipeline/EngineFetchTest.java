package org.homeiq.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program homeiqEngine runs on an agent to download the engine: a real HTTP server on
 * 127.0.0.1, a real JDK running the library resource as a single-file program, real files.
 */
class EngineFetchTest {
    static final Path FETCH = Path.of("resources/org/homeiq/pipeline/EngineFetch.java");
    static final byte[] JAR = "PK fake engine jar bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir Path cache;
    HttpServer server;
    String base;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/repo/org/homeiq/homeiq-deploy/0.1.0/homeiq-deploy-0.1.0.jar", exchange -> {
            exchange.sendResponseHeaders(200, JAR.length);
            exchange.getResponseBody().write(JAR);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/repo";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    record Run(int exit, String output) {}

    Run fetch(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, FETCH.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "EngineFetch did not finish in 60 s");
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    String jarUrl() {
        return base + "/org/homeiq/homeiq-deploy/0.1.0/homeiq-deploy-0.1.0.jar";
    }

    @Test
    void verifiedDownloadLandsAtTheTargetAndNothingElseIsLeft() throws Exception {
        Path target = cache.resolve("0.1.0/homeiq-deploy-0.1.0.jar");

        Run run = fetch(jarUrl(), sha256(JAR), target.toString());

        assertEquals(0, run.exit(), run.output());
        assertEquals(sha256(JAR), sha256(Files.readAllBytes(target)));
        try (Stream<Path> left = Files.list(target.getParent())) {
            assertEquals(List.of(target), left.toList(), "no temporary file left next to the jar");
        }
    }

    @Test
    void checksumMismatchLeavesNoJar() throws Exception {
        Path target = cache.resolve("0.1.0/homeiq-deploy-0.1.0.jar");

        Run run = fetch(jarUrl(), "0".repeat(64), target.toString());

        assertEquals(1, run.exit());
        assertTrue(run.output().contains("checksum mismatch"), run.output());
        assertTrue(run.output().contains(sha256(JAR)), "says which checksum it saw: " + run.output());
        try (Stream<Path> left = Files.list(target.getParent())) {
            assertEquals(0, left.count(), "nothing left in the cache");
        }
    }

    @Test
    void missingArtifactIsAFailureNamingTheUrl() throws Exception {
        Path target = cache.resolve("9.9.9/homeiq-deploy-9.9.9.jar");
        String url = base + "/org/homeiq/homeiq-deploy/9.9.9/homeiq-deploy-9.9.9.jar";

        Run run = fetch(url, sha256(JAR), target.toString());

        assertEquals(1, run.exit());
        assertTrue(run.output().contains(url) && run.output().contains("HTTP 404"), run.output());
        assertFalse(Files.exists(target));
    }

    @Test
    void garbageChecksumIsBadInput() throws Exception {
        Run run = fetch(jarUrl(), "not-a-sha", cache.resolve("x.jar").toString());

        assertEquals(2, run.exit());
        assertTrue(run.output().contains("usage"), run.output());
    }
}
