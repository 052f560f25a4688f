package org.homeiq.deploy.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.homeiq.deploy.EnvironmentException;

/**
 * The Docker engine, through its CLI. Reads state with {@code docker inspect} (JSON, parsed with
 * Jackson, never scraped from table output) and changes it with tag / rmi. Every call is an
 * argument array; nothing goes through a shell.
 */
public final class Docker {
    /** Inspect/tag calls are quick; a daemon that takes longer than this is in trouble. */
    static final Duration QUICK = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProcessRunner runner;
    private final String binary;
    private EngineApi engine;

    public Docker(ProcessRunner runner) {
        this(runner, "docker");
    }

    public Docker(ProcessRunner runner, String binary) {
        this.runner = runner;
        this.binary = binary;
    }

    /** The old client beside the run's Engine API client, which {@link #engine()} hands on. */
    public Docker(ProcessRunner runner, EngineApi engine) {
        this(runner);
        this.engine = engine;
    }

    /**
     * The run's Engine API client, for callers that still get a {@code Docker} handed (connected
     * on first use when none was given). Goes with this class once the run path has switched.
     */
    public synchronized EngineApi engine() {
        if (engine == null) {
            engine = EngineApi.connect();
        }
        return engine;
    }

    /**
     * A Docker client whose daemon answered: "not installed" and "daemon unreachable" become an
     * {@link EnvironmentException} (exit 3) that says which, before any work starts.
     */
    public static Docker connect(ProcessRunner runner) {
        Docker d = new Docker(runner);
        d.serverVersion();
        return d;
    }

    public ProcessRunner runner() {
        return runner;
    }

    /** {@code docker ARGS...} as an argument array, for callers that run their own commands. */
    public List<String> command(String... args) {
        var cmd = new ArrayList<String>();
        cmd.add(binary);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The daemon's version; throws EnvironmentException when the CLI or the daemon is missing. */
    public String serverVersion() {
        ProcessResult r;
        try {
            r = runner.run(command("version", "--format", "{{.Server.Version}}"), QUICK);
        } catch (EnvironmentException e) {
            throw new EnvironmentException("Docker is not installed: cannot run '" + binary
                    + "' (install Docker Engine, or put the docker CLI on the PATH)", e);
        }
        if (!r.ok()) {
            String host = Optional.ofNullable(System.getenv("DOCKER_HOST")).orElse("the default socket");
            throw new EnvironmentException("the Docker daemon is unreachable at " + host
                    + (r.timedOut() ? " (no answer within " + QUICK.toSeconds() + " s)" : "")
                    + ": " + firstLine(r.diagnostic()));
        }
        return r.stdout().strip();
    }

    /** Runs {@code docker ARGS...} and returns its result, whatever the exit code. */
    public ProcessResult exec(Duration timeout, String... args) {
        return runner.run(command(args), timeout);
    }

    /** Runs {@code docker ARGS...}, throwing when it fails (the message carries docker's stderr). */
    public ProcessResult check(Duration timeout, String... args) {
        return checked(exec(timeout, args));
    }

    /** {@code docker ARGS...} with stdout streamed to {@code out} (e.g. {@code run ... tar c}). */
    public ProcessResult streamOut(Duration timeout, OutputStream out, String... args) {
        return checked(runner.stream(command(args), timeout, null, out));
    }

    /** {@code docker ARGS...} with stdin fed from {@code in} (e.g. {@code run -i ... tar x}, {@code import -}). */
    public ProcessResult streamIn(Duration timeout, InputStream in, String... args) {
        return checked(runner.run(command(args), timeout, in));
    }

    public Optional<ContainerState> container(String idOrName) {
        ProcessResult r = exec(QUICK, "container", "inspect", idOrName);
        if (!r.ok()) {
            if (isNotFound(r)) {
                return Optional.empty();
            }
            throw failure(r);
        }
        JsonNode c = first(r);
        JsonNode state = c.path("State");
        JsonNode health = state.path("Health");
        return Optional.of(new ContainerState(
                c.path("Id").asText(),
                c.path("Name").asText().replaceFirst("^/", ""),
                c.path("Config").path("Image").asText(),
                c.path("Image").asText(),
                state.path("Status").asText(),
                state.path("Running").asBoolean(),
                state.path("ExitCode").asInt(),
                c.path("RestartCount").asInt(),
                health.isMissingNode() || health.isNull() ? null : health.path("Status").asText(),
                state.path("StartedAt").asText()));
    }

    /** The last {@code lines} lines the container wrote (stdout and stderr, in order per stream). */
    public List<String> logs(String container, int lines) {
        if (lines <= 0) {
            return List.of();
        }
        ProcessResult r = exec(QUICK, "logs", "--tail", String.valueOf(lines), container);
        if (!r.ok()) {
            return List.of();
        }
        var all = new ArrayList<String>();
        for (String s : (r.stdout() + r.stderr()).split("\\R")) {
            if (!s.isEmpty()) {
                all.add(s);
            }
        }
        return all.size() > lines ? all.subList(all.size() - lines, all.size()) : all;
    }

    public Optional<ImageInfo> image(String ref) {
        ProcessResult r = exec(QUICK, "image", "inspect", ref);
        if (!r.ok()) {
            if (isNotFound(r)) {
                return Optional.empty();
            }
            throw failure(r);
        }
        JsonNode i = first(r);
        var tags = new ArrayList<String>();
        i.path("RepoTags").forEach(t -> tags.add(t.asText()));
        return Optional.of(new ImageInfo(i.path("Id").asText(), tags, i.path("Created").asText(),
                stringMap(i.path("Config").path("Labels"))));
    }

    /** Points {@code target} at {@code source} (an image id or reference). */
    public void tag(String source, String target) {
        check(QUICK, "tag", source, target);
    }

    /** Removes a tag (the image itself goes when no tag or container uses it). Missing is fine. */
    public void untag(String ref) {
        ProcessResult r = exec(QUICK, "rmi", ref);
        if (!r.ok() && !isNotFound(r)) {
            throw failure(r);
        }
    }

    /** Image references (repo:tag) whose repository matches {@code reference} (docker's filter syntax). */
    public List<String> images(String reference) {
        ProcessResult r = check(QUICK, "image", "ls", "--filter", "reference=" + reference, "--format", "{{.Repository}}:{{.Tag}}");
        return lines(r.stdout());
    }

    /** Volume names, optionally filtered by a label ({@code key=value}); null for all. */
    public List<String> volumes(String labelFilter) {
        ProcessResult r = labelFilter == null ? check(QUICK, "volume", "ls", "-q")
                : check(QUICK, "volume", "ls", "-q", "--filter", "label=" + labelFilter);
        return lines(r.stdout());
    }

    public Optional<VolumeInfo> volume(String name) {
        ProcessResult r = exec(QUICK, "volume", "inspect", name);
        if (!r.ok()) {
            if (isNotFound(r)) {
                return Optional.empty();
            }
            throw failure(r);
        }
        JsonNode v = first(r);
        return Optional.of(new VolumeInfo(v.path("Name").asText(), v.path("Driver").asText(),
                v.path("Mountpoint").asText(), stringMap(v.path("Labels"))));
    }

    public void removeVolume(String name) {
        ProcessResult r = exec(QUICK, "volume", "rm", "-f", name);
        if (!r.ok() && !isNotFound(r)) {
            throw failure(r);
        }
    }

    /** Container ids (all states) with a label ({@code key=value}). */
    public List<String> containers(String labelFilter) {
        return lines(check(QUICK, "ps", "-aq", "--no-trunc", "--filter", "label=" + labelFilter).stdout());
    }

    public void removeContainer(String id) {
        ProcessResult r = exec(QUICK, "rm", "-f", "-v", id);
        if (!r.ok() && !isNotFound(r)) {
            throw failure(r);
        }
    }

    private ProcessResult checked(ProcessResult r) {
        if (!r.ok()) {
            throw failure(r);
        }
        return r;
    }

    /** A failed docker command: the daemon going away is an environment problem, like a full disk. */
    static EnvironmentException failure(ProcessResult r) {
        String why = r.timedOut() ? "no answer in time" : "exit code " + r.exitCode();
        return new EnvironmentException("'" + r.commandLine() + "' failed (" + why + "): " + firstLines(r.diagnostic(), 5));
    }

    private static boolean isNotFound(ProcessResult r) {
        String e = r.stderr().toLowerCase(java.util.Locale.ROOT);
        return e.contains("no such") || e.contains("not found");
    }

    private static JsonNode first(ProcessResult r) {
        try {
            JsonNode arr = JSON.readTree(r.stdout());
            return arr.isArray() ? arr.path(0) : arr;
        } catch (IOException e) {
            throw new EnvironmentException("unreadable output of '" + r.commandLine() + "': " + e.getMessage(), e);
        }
    }

    private static Map<String, String> stringMap(JsonNode node) {
        var m = new LinkedHashMap<String, String>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        }
        return m;
    }

    static List<String> lines(String text) {
        var out = new ArrayList<String>();
        for (String s : text.split("\\R")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String firstLines(String s, int n) {
        String[] all = s.split("\\R");
        return String.join(System.lineSeparator(), java.util.Arrays.copyOf(all, Math.min(n, all.length)));
    }
}
