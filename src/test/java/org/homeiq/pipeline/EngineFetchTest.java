package org.homeiq.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program homeiqEngine runs on an agent to fetch the engine, run as the step runs it: the
 * library resource as a JDK single-file program in its own process, against a Maven repository
 * layout in a real directory, served by a real HTTP server on 127.0.0.1 and read as a file: URL.
 */
class EngineFetchTest {
    static final Path FETCH = Path.of("resources/org/homeiq/pipeline/EngineFetch.java");
    static final String VERSION = "1.2.3";
    static final String ARTIFACT = "org/homeiq/homeiq-deploy/" + VERSION + "/homeiq-deploy-" + VERSION + ".jar";

    @TempDir Path root;
    Path repository;
    Path cache;
    Path target;
    byte[] jar;
    HttpServer server;
    String base;
    /** Paths the server was asked for, in order. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    final CountDownLatch releaseStalled = new CountDownLatch(1);

    @BeforeEach
    void repositoryWithTheEngine() throws Exception {
        repository = root.resolve("maven repository");
        cache = Files.createDirectories(root.resolve("agent cache"));
        target = cache.resolve(VERSION).resolve("homeiq-deploy-" + VERSION + ".jar");
        jar = engineJar();
        Path published = repository.resolve(ARTIFACT);
        Files.createDirectories(published.getParent());
        Files.write(published, jar);

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/maven/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            Path file = repository.resolve(exchange.getRequestURI().getPath().substring("/maven/".length()));
            if (!Files.isRegularFile(file)) {
                reply(exchange, 404, "not found".getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE);
            } else {
                reply(exchange, 200, Files.readAllBytes(file), Integer.MAX_VALUE);
            }
        });
        // Announces the whole jar, sends half of it and closes the connection.
        server.createContext("/truncated/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            reply(exchange, 200, jar, jar.length / 2);
        });
        // Sends the headers and a first part, then nothing until the test ends.
        server.createContext("/stalled/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(200, jar.length);
            exchange.getResponseBody().write(jar, 0, 100);
            exchange.getResponseBody().flush();
            try {
                releaseStalled.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        releaseStalled.countDown();
        server.stop(0);
    }

    /** Declares body.length bytes and sends the first `send` of them. */
    static void reply(HttpExchange exchange, int status, byte[] body, int send) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        OutputStream out = exchange.getResponseBody();
        out.write(body, 0, Math.min(send, body.length));
        out.flush();
        exchange.close();
    }

    /** A small but real jar, so the bytes are what a repository holds. */
    byte[] engineJar() throws IOException {
        Path file = root.resolve("built.jar");
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, VERSION);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file), mf)) {
            out.putNextEntry(new JarEntry("homeiq/engine.txt"));
            out.write("x".repeat(200_000).getBytes(StandardCharsets.UTF_8));
        }
        return Files.readAllBytes(file);
    }

    record Run(int exit, String output) {}

    Run fetch(String url, String sha256, Map<String, String> environment) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, FETCH.toString(), url, sha256, target.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("HOMEIQ_ENGINE_FETCH_TIMEOUT");
        pb.environment().putAll(environment);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "EngineFetch did not finish in 60 s");
        return new Run(p.exitValue(), output);
    }

    Run fetch(String url, String sha256) throws Exception {
        return fetch(url, sha256, Map.of());
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    String httpUrl() {
        return base + "/maven/" + ARTIFACT;
    }

    String fileUrl() {
        return repository.toUri() + ARTIFACT;
    }

    /** Regular files anywhere under the cache: the jar after a success, nothing after a failure. */
    List<Path> filesInCache() throws IOException {
        try (Stream<Path> all = Files.walk(cache)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    void thenFailedLeavingNothing(Run run, String... mentions) throws IOException {
        System.out.println(run.output()); // the report shows what an operator reads
        assertEquals(1, run.exit(), run.output());
        for (String m : mentions) {
            assertTrue(run.output().contains(m), "names " + m + ": " + run.output());
        }
        assertEquals(List.of(), filesInCache(), "nothing left in the cache");
    }

    @Test
    void firstUseDownloadsVerifiesAndCachesSecondUseMakesNoRequest() throws Exception {
        Run first = fetch(httpUrl(), sha256(jar));

        assertEquals(0, first.exit(), first.output());
        assertTrue(first.output().contains("engine downloaded from " + httpUrl()), first.output());
        assertArrayEquals(jar, Files.readAllBytes(target));
        assertEquals(List.of(target), filesInCache(), "the jar and no temporary file");
        assertEquals(List.of("/maven/" + ARTIFACT), requests);

        Run second = fetch(httpUrl(), sha256(jar));

        assertEquals(0, second.exit(), second.output());
        assertTrue(second.output().contains("engine found in the cache: " + target), second.output());
        assertEquals(1, requests.size(), "no request for a verified cached jar: " + requests);
    }

    @Test
    void fileUrlRepositoryAndPlainDirectoryWorkTheSame() throws Exception {
        Run first = fetch(fileUrl(), sha256(jar));

        assertEquals(0, first.exit(), first.output());
        assertArrayEquals(jar, Files.readAllBytes(target));
        assertEquals(List.of(target), filesInCache());

        Files.delete(target);
        Run plain = fetch(repository.resolve(ARTIFACT).toString(), sha256(jar));

        assertEquals(0, plain.exit(), plain.output());
        assertArrayEquals(jar, Files.readAllBytes(target));
        assertTrue(requests.isEmpty(), "no HTTP involved: " + requests);
    }

    @Test
    void corruptCachedJarIsDownloadedAgain() throws Exception {
        Files.createDirectories(target.getParent());
        Files.writeString(target, "half a jar");

        Run run = fetch(httpUrl(), sha256(jar));

        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("has SHA-256 " + sha256("half a jar".getBytes(StandardCharsets.UTF_8))), run.output());
        assertArrayEquals(jar, Files.readAllBytes(target));
        assertEquals(1, requests.size());
    }

    @Test
    void tamperedJarInTheRepositoryIsRefused() throws Exception {
        String pinned = sha256(jar);
        byte[] tampered = jar.clone();
        tampered[tampered.length / 2] ^= 1;
        Files.write(repository.resolve(ARTIFACT), tampered);

        Run run = fetch(httpUrl(), pinned);

        thenFailedLeavingNothing(run, "checksum mismatch for " + httpUrl(), "expected SHA-256 " + pinned,
                "got " + sha256(tampered));
    }

    @Test
    void wrongPinnedChecksumIsRefused() throws Exception {
        String wrong = "ab".repeat(32);

        Run run = fetch(fileUrl(), wrong);

        thenFailedLeavingNothing(run, "checksum mismatch for " + fileUrl(), "expected SHA-256 " + wrong,
                "got " + sha256(jar));
    }

    @Test
    void missingVersionIsHttp404NamingTheUrl() throws Exception {
        String url = base + "/maven/org/homeiq/homeiq-deploy/9.9.9/homeiq-deploy-9.9.9.jar";

        Run run = fetch(url, sha256(jar));

        thenFailedLeavingNothing(run, "download of " + url + " failed: HTTP 404");
    }

    @Test
    void missingFileInADirectoryRepositoryNamesTheFile() throws Exception {
        String url = repository.toUri() + "org/homeiq/homeiq-deploy/9.9.9/homeiq-deploy-9.9.9.jar";

        Run run = fetch(url, sha256(jar));

        thenFailedLeavingNothing(run, "download of " + url + " failed: no such file");
    }

    @Test
    void truncatedTransferIsRefused() throws Exception {
        String url = base + "/truncated/" + ARTIFACT;

        Run run = fetch(url, sha256(jar));

        thenFailedLeavingNothing(run, "download of " + url + " failed: transfer broken off");
    }

    @Test
    void unreachableRepositoryNamesHostAndPort() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closed + "/maven/" + ARTIFACT;

        Run run = fetch(url, sha256(jar));

        thenFailedLeavingNothing(run, "download of " + url + " failed: cannot connect to 127.0.0.1:" + closed);
    }

    @Test
    void stalledTransferEndsAtTheDeadline() throws Exception {
        String url = base + "/stalled/" + ARTIFACT;

        Run run = fetch(url, sha256(jar), Map.of("HOMEIQ_ENGINE_FETCH_TIMEOUT", "2"));

        thenFailedLeavingNothing(run, "download of " + url + " failed: not complete after 2 s (HOMEIQ_ENGINE_FETCH_TIMEOUT)");
    }

    @Test
    void badArgumentsAreExit2() throws Exception {
        Run garbage = fetch(httpUrl(), "not-a-sha");
        assertEquals(2, garbage.exit());
        assertTrue(garbage.output().contains("usage"), garbage.output());

        Run ftp = fetch("ftp://127.0.0.1/" + ARTIFACT, sha256(jar));
        assertEquals(2, ftp.exit());
        assertTrue(ftp.output().contains("only http, https and file URLs"), ftp.output());

        Run timeout = fetch(httpUrl(), sha256(jar), Map.of("HOMEIQ_ENGINE_FETCH_TIMEOUT", "soon"));
        assertEquals(2, timeout.exit());
        assertTrue(timeout.output().contains("HOMEIQ_ENGINE_FETCH_TIMEOUT must be a number of seconds, got 'soon'"), timeout.output());
        assertTrue(requests.isEmpty() && filesInCache().isEmpty());
    }
}
