package org.homeiq.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.homeiq.deploy.docker.ProcessResult;
import org.homeiq.deploy.docker.ProcessRunner;

/**
 * A real Jenkins controller ({@code controller.sh} of the shared kit) driven over its REST API
 * and script console, as the kit's README lists the calls. Started in a fresh JENKINS_HOME;
 * {@link #close()} stops it by its PID, with every process it started (the builds' shells).
 */
final class RealJenkins implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL = Duration.ofSeconds(60);

    private final Path home;
    private final URI base;
    private final String auth;
    private final long pid;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RealJenkins(Path home, int port, String token, long pid) {
        this.home = home;
        this.base = URI.create("http://127.0.0.1:" + port + "/");
        this.auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + token).getBytes(StandardCharsets.UTF_8));
        this.pid = pid;
    }

    /** {@code controller.sh start HOME PORT}, with {@code java} of this JVM for the controller and its builds. */
    static RealJenkins start(Path kit, Path home, int port) {
        String javaHome = System.getProperty("java.home");
        ProcessResult r = new ProcessRunner(Map.of("JAVA_HOME", javaHome, "JAVA", javaHome + "/bin/java"), null)
                .run(List.of(kit.resolve("controller.sh").toString(), "start", home.toString(), String.valueOf(port)),
                        Duration.ofMinutes(4));
        Path pidFile = home.resolve("controller.pid");
        long pid = -1;
        try {
            if (Files.isRegularFile(pidFile)) {
                pid = Long.parseLong(Files.readString(pidFile).trim());
            }
            if (!r.ok()) {
                stop(pid);
                throw new AssertionError("the Jenkins controller did not start: " + r.diagnostic());
            }
            return new RealJenkins(home, port, Files.readString(home.resolve("accept/admin.token")).trim(), pid);
        } catch (IOException e) {
            stop(pid);
            throw new UncheckedIOException(e);
        }
    }

    Path home() {
        return home;
    }

    /**
     * Runs a script console script from the test resources with {@code config} bound as the map
     * {@code config} (handed over base64-encoded JSON, so no value needs Groovy quoting). Returns
     * what it printed; fails when it did not print {@code expectLast} as its last line.
     */
    String script(String resource, Map<String, ?> config, String expectLast) {
        String text;
        try (InputStream in = RealJenkins.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String encoded = Base64.getEncoder().encodeToString(json(config).getBytes(StandardCharsets.UTF_8));
        String script = "def config = new groovy.json.JsonSlurperClassic().parseText(new String("
                + "java.util.Base64.decoder.decode('" + encoded + "'), 'UTF-8'))\n" + text;
        String out = post("scriptText", query(Map.of("script", script))).strip();
        List<String> lines = out.lines().toList();
        if (lines.isEmpty() || !lines.get(lines.size() - 1).startsWith(expectLast)) {
            throw new AssertionError("script " + resource + " failed:\n" + out);
        }
        return out;
    }

    /** Creates or replaces a pipeline job whose definition is {@code config.xml}. */
    void createJob(String name, String configXml) {
        send(HttpRequest.newBuilder(base.resolve("createItem?name=" + enc(name)))
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(configXml)), 200);
    }

    /** Starts a build with parameters; returns its number once the queue has given it one. */
    int build(String job, Map<String, String> parameters) {
        String path = "job/" + enc(job) + (parameters.isEmpty() ? "/build" : "/buildWithParameters?" + query(parameters));
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()), 201);
        String queueItem = r.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location for " + path));
        URI item = URI.create(queueItem.endsWith("/") ? queueItem : queueItem + "/").resolve("api/json");
        int[] number = {-1};
        Await.until("build of " + job + " leaves the queue", Duration.ofMinutes(2), () -> {
            JsonNode n = getJson(item);
            number[0] = n.path("executable").path("number").asInt(-1);
            return number[0] > 0;
        });
        return number[0];
    }

    /**
     * {@code result, description, duration} of a build, once its log has its last line
     * ("Finished: RESULT"). Neither building nor inProgress is a safe signal here: both were seen
     * false with the result still UNSTABLE while a failed build ran its post conditions.
     */
    JsonNode awaitResult(String job, int build, Duration timeout) {
        URI progressive = base.resolve("job/" + enc(job) + "/" + build + "/logText/progressiveText");
        long[] offset = {0};
        StringBuilder tail = new StringBuilder();
        Await.until(job + " #" + build + " finishes", timeout, () -> {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(progressive + "?start=" + offset[0])).GET(), 200);
            offset[0] = r.headers().firstValue("X-Text-Size").map(Long::parseLong).orElse(offset[0]);
            tail.append(r.body());
            tail.delete(0, Math.max(0, tail.length() - 4096));
            return tail.toString().contains("\nFinished: ");
        });
        return get(job, build, "api/json?tree=result,description,duration");
    }

    /** The id of the input the build waits on, once it waits on one. */
    String awaitInput(String job, int build, Duration timeout) {
        String[] id = new String[1];
        Await.until(job + " #" + build + " waits for an approval", timeout, () -> {
            JsonNode pending = get(job, build, "wfapi/pendingInputActions");
            if (pending.size() > 0) {
                id[0] = pending.get(0).path("id").asText();
                return true;
            }
            if (!get(job, build, "api/json?tree=inProgress").path("inProgress").asBoolean()) {
                throw new AssertionError(job + " #" + build + " ended without asking for approval:\n" + console(job, build));
            }
            return false;
        });
        return id[0];
    }

    /** Approves as admin, through the form the dialog submits (so the submitter parameter is filled in). */
    void approve(String job, int build, String input) {
        post("job/" + enc(job) + "/" + build + "/input/" + enc(input) + "/submit",
                query(Map.of("json", json(Map.of("parameter", List.of())), "proceed", "Proceed")));
    }

    void reject(String job, int build, String input) {
        post("job/" + enc(job) + "/" + build + "/input/" + enc(input) + "/abort", "");
    }

    int busyExecutors() {
        return getJson(base.resolve("computer/api/json?tree=busyExecutors")).path("busyExecutors").asInt(-1);
    }

    String console(String job, int build) {
        return text(base.resolve("job/" + enc(job) + "/" + build + "/consoleText"));
    }

    /** {@code path} below the build, e.g. {@code testReport/api/json}, as JSON. */
    JsonNode get(String job, int build, String path) {
        return getJson(base.resolve("job/" + enc(job) + "/" + build + "/" + path));
    }

    /** The build's archived artifacts: relative path to content. */
    Map<String, String> artifacts(String job, int build) {
        var out = new LinkedHashMap<String, String>();
        for (JsonNode a : get(job, build, "api/json?tree=artifacts[relativePath]").path("artifacts")) {
            String p = a.path("relativePath").asText();
            out.put(p, text(base.resolve("job/" + enc(job) + "/" + build + "/artifact/" + p)));
        }
        return out;
    }

    /** The test report, or a missing node when the build published none. */
    Optional<JsonNode> testReport(String job, int build) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("job/" + enc(job) + "/" + build + "/testReport/api/json")).GET(), -1);
        return r.statusCode() == 200 ? Optional.of(parse(r.body())) : Optional.empty();
    }

    private JsonNode getJson(URI uri) {
        return parse(text(uri));
    }

    private String text(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET(), 200).body();
    }

    private String post(String path, String formBody) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody)), 200, 302).body();
    }

    private HttpResponse<String> send(HttpRequest.Builder request, int... expected) {
        HttpRequest req = request.header("Authorization", auth).timeout(CALL).build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (expected.length > 0 && expected[0] >= 0 && java.util.Arrays.stream(expected).noneMatch(c -> c == r.statusCode())) {
                throw new AssertionError(req.method() + " " + req.uri() + " answered " + r.statusCode() + ":\n" + r.body());
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(req.method() + " " + req.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + req.uri());
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String query(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Stops the controller by its PID: its child processes first, then the JVM, forcibly if it lingers. */
    @Override
    public void close() {
        stop(pid);
    }

    private static void stop(long pid) {
        if (pid <= 0) {
            return;
        }
        ProcessHandle.of(pid).ifPresent(p -> {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        });
    }
}
