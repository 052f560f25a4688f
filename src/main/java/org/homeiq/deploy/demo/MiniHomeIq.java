package org.homeiq.deploy.demo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.cli.ProjectOptions;
import org.homeiq.deploy.docker.ComposeCli;
import org.homeiq.deploy.docker.ContainerState;
import org.homeiq.deploy.docker.EngineApi;
import org.homeiq.deploy.docker.ProcessResult;
import org.homeiq.deploy.docker.ProcessRunner;
import org.homeiq.deploy.model.Deployment;
import org.homeiq.deploy.model.Service;
import org.homeiq.deploy.model.load.DeploymentLoader;

/**
 * A miniature HomeIQ on the local Docker engine: one tiny busybox container per requested HomeIQ
 * service, each serving {@code /health} (at the inventory's health path) and {@code /version} with
 * busybox httpd on 127.0.0.1 at the service's port plus an offset, on the host network. Used by
 * {@code demo} and by the end-to-end tests.
 *
 * <p>The project directory gets a compose file, one build context per service (its
 * {@link Behaviour} baked in), and a {@code homeiq-deploy.yaml} overlay with the port offset, so
 * the engine pointed at the directory sees the same ports. Images are named
 * {@code <project>/<service>:latest}; every image, container and volume carries the project name,
 * and {@link #close()} removes them all.
 */
public final class MiniHomeIq implements AutoCloseable {
    /** Base image made by {@code docker import} of the host's static busybox: no registry needed. */
    public static final String BASE_IMAGE = "homeiq-mini/busybox:1";
    /** Where the services with data keep it, as HomeIQ's compose file names the volumes. */
    public static final Map<String, String> DATA_VOLUMES = Map.of("influxdb", "influxdb_data", "data-api", "sqlite-data");

    private static final Duration BUILD = Duration.ofMinutes(5);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final EngineApi engine;
    private final ProcessRunner runner;
    private final ComposeCli compose;
    private final Path dir;
    private final String project;
    private final Deployment deployment;
    private final List<String> services;
    private final Map<String, Behaviour> behaviours = new LinkedHashMap<>();
    private PortLease lease;
    private boolean started;

    private MiniHomeIq(EngineApi engine, ProcessRunner runner, ComposeCli compose, Path dir, String project, Deployment deployment,
            List<String> services) {
        this.engine = engine;
        this.runner = runner;
        this.compose = compose;
        this.dir = dir;
        this.project = project;
        this.deployment = deployment;
        this.services = List.copyOf(services);
    }

    /**
     * Writes the project (nothing is started yet; call {@link #start()}).
     *
     * @param dir an empty directory for the compose project
     * @param project the compose project name; also the prefix of every Docker object made
     * @param portOffset added to every HomeIQ port (tests 20000, demo 24000)
     * @param services HomeIQ service names from the inventory
     * @param extraOverlay YAML appended to the project's homeiq-deploy.yaml (e.g. shorter gates), or ""
     */
    public static MiniHomeIq create(ProcessRunner runner, Path dir, String project, int portOffset,
            List<String> services, String extraOverlay) {
        if (!project.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new IllegalArgumentException("compose project names are lower-case letters, digits, - and _: " + project);
        }
        // One Engine API client for the stack's reads (it also proves the daemon answers); compose for the rest.
        EngineApi engine = EngineApi.connect();
        ComposeCli.Flavour flavour = ComposeCli.detect(runner);
        // Fixed ports: a second stack on the same offset (another test JVM, another demo) waits its turn.
        PortLease lease = PortLease.acquire(portOffset, Duration.ofMinutes(15));
        try {
            MiniHomeIq mini = create(engine, flavour, runner, dir, project, portOffset, services, extraOverlay);
            mini.lease = lease;
            return mini;
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    private static MiniHomeIq create(EngineApi engine, ComposeCli.Flavour flavour, ProcessRunner runner, Path dir, String project,
            int portOffset, List<String> services, String extraOverlay) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(ProjectOptions.PROJECT_FILE),
                    "# Written by the miniature HomeIQ: its services listen on 127.0.0.1 at port + offset.\n"
                            + "defaults:\n  portOffset: " + portOffset + "\n  healthHost: 127.0.0.1\n"
                            + (extraOverlay == null ? "" : extraOverlay));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Deployment deployment = DeploymentLoader.load(List.of(dir.resolve(ProjectOptions.PROJECT_FILE)));
        deployment.inventory().getAll(services);
        var compose = new ComposeCli(runner, flavour, dir, dir.resolve("docker-compose.yml"), project, null);
        var mini = new MiniHomeIq(engine, runner, compose, dir, project, deployment, services);
        mini.ensureBaseImage();
        for (String s : services) {
            mini.behaviours.put(s, Behaviour.healthy());
        }
        mini.writeComposeFile();
        for (String s : services) {
            mini.writeContext(s);
        }
        return mini;
    }

    /**
     * Makes {@link #BASE_IMAGE} if it is missing. Two processes doing this at once both import the
     * same content under the same tag, so whichever finishes last wins and both see a good image.
     */
    private void ensureBaseImage() {
        if (engine.image(BASE_IMAGE).isPresent()) {
            return;
        }
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox)) {
            throw new EnvironmentException("the miniature HomeIQ needs a static busybox at /bin/busybox "
                    + "(Debian: apt-get install busybox-static) to make its base image without a registry");
        }
        ProcessResult list = new ProcessRunner().run(List.of(busybox.toString(), "--list"), Duration.ofSeconds(10));
        byte[] tar;
        try {
            tar = RootFs.busybox(Files.readAllBytes(busybox), List.of(list.stdout().split("\\R")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // docker import: the Engine API's equivalent (image create from a tar source) has no docker-java
        // command that takes the --change instructions, and the CLI does it in one call.
        checked(runner.run(docker("import", "--change", "ENV PATH=/bin", "--change", "CMD [\"/bin/sh\"]", "-", BASE_IMAGE),
                Duration.ofMinutes(2), new ByteArrayInputStream(tar)));
    }

    /** Changes a service's behaviour: rewrites its build context; takes effect at its next build. */
    public void configure(String service, Behaviour behaviour) {
        if (!behaviours.containsKey(service)) {
            throw new IllegalArgumentException("not in this miniature HomeIQ: " + service);
        }
        behaviours.put(service, behaviour);
        writeContext(service);
    }

    /** Builds every image and starts every container; throws when a build or start fails. */
    public void start() {
        if (!started) {
            // Only the first start: afterwards the ports are ours (start() again redeploys changed services).
            awaitFreePorts(Duration.ofSeconds(90));
        }
        ProcessResult b = compose.build(services, false);
        if (!b.ok()) {
            throw new EnvironmentException("building the miniature HomeIQ failed: " + b.diagnostic());
        }
        compose.up(services, false);
        started = true;
    }

    /**
     * Our ports must be free before we start, or our probes would talk to someone else's service
     * (an older copy of these tests, without the port lease, on the same offset). Waits a while
     * for a stack that is shutting down; then says which port is taken.
     */
    private void awaitFreePorts(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        for (String s : services) {
            int port = port(s);
            while (!free(port)) {
                if (System.nanoTime() > deadline) {
                    throw new EnvironmentException("port " + port + " (" + s + " + offset) on 127.0.0.1 is taken by another process; "
                            + "the miniature HomeIQ needs it free");
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EnvironmentException("interrupted waiting for port " + port, e);
                }
            }
        }
    }

    private static boolean free(int port) {
        try (var socket = new java.net.ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public Path projectDir() {
        return dir;
    }

    public String projectName() {
        return project;
    }

    private boolean closed;

    /** The stack's compose project (build, up, stop ... of its services). */
    public ComposeCli compose() {
        return compose;
    }

    /** The stack's Engine API client (closed with the stack). */
    public EngineApi engine() {
        return engine;
    }

    /**
     * Runs {@code docker ARGS...} (the CLI, for what tests do by hand: {@code run}, {@code create},
     * {@code rmi}); throws when it fails, with docker's own words.
     */
    public ProcessResult dockerCli(Duration timeout, String... args) {
        return checked(runner.run(docker(args), timeout));
    }

    private static List<String> docker(String... args) {
        var cmd = new ArrayList<String>();
        cmd.add("docker");
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static ProcessResult checked(ProcessResult r) {
        if (!r.ok()) {
            throw new EnvironmentException("'" + r.commandLine() + "' failed (" + (r.timedOut() ? "no answer in time" : "exit code "
                    + r.exitCode()) + "): " + r.diagnostic().strip());
        }
        return r;
    }

    public Deployment deployment() {
        return deployment;
    }

    public List<String> services() {
        return services;
    }

    /** The engine options that point at this stack: {@code --project-dir DIR -p NAME}. */
    public List<String> engineArgs() {
        return List.of("--project-dir", dir.toString(), "-p", project);
    }

    /** The image the compose file names for a service: {@code <project>/<service>:latest}. */
    public String image(String service) {
        return project + "/" + service + ":latest";
    }

    public int port(String service) {
        return deployment.inventory().get(service).health().port();
    }

    /** The body of {@code GET path} when the service answers 2xx, else empty. */
    public Optional<String> get(String service, String path) {
        Service s = deployment.inventory().get(service);
        var req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.health().port() + path))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() / 100 == 2 ? Optional.of(r.body().strip()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** What the service's {@code /version} answers now, or empty when it does not answer. */
    public Optional<String> version(String service) {
        return get(service, "/version");
    }

    /** The service's current container id, if it has one. */
    public Optional<String> containerId(String service) {
        return engine().serviceContainer(project, service).map(ContainerState::id);
    }

    /** The full name of one of the stack's named volumes (compose prefixes the project). */
    public String volumeName(String volume) {
        return project + "_" + volume;
    }

    /**
     * Removes everything the stack made: containers, named volumes, every tag of its images
     * (restore points and failed-* tags included). Safe to call twice.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            removeEverything();
        } finally {
            if (lease != null) {
                lease.close();
                lease = null;
            }
            engine.close();
        }
    }

    private void removeEverything() {
        compose.down(true);
        for (String id : engine.containers(Map.of(ComposeCli.PROJECT_LABEL, project))) {
            engine.removeContainer(id);
        }
        for (String ref : engine.images(project + "/*")) {
            engine.untag(ref);
        }
        for (String v : engine.volumes(Map.of(ComposeCli.PROJECT_LABEL, project))) {
            engine.removeVolume(v);
        }
    }

    private void writeComposeFile() {
        var y = new StringBuilder("# The miniature HomeIQ (written by homeiq-deploy): host networking, 127.0.0.1 only.\n");
        y.append("version: \"2.4\"\nservices:\n");
        var volumes = new ArrayList<String>();
        for (String s : services) {
            y.append("  ").append(s).append(":\n");
            y.append("    build: ./").append(s).append('\n');
            y.append("    image: ").append(image(s)).append('\n');
            y.append("    network_mode: host\n");
            y.append("    restart: unless-stopped\n");
            y.append("    stop_grace_period: 2s\n");
            String v = DATA_VOLUMES.get(s);
            if (v != null) {
                y.append("    volumes:\n      - ").append(v).append(":/data\n");
                volumes.add(v);
            }
        }
        if (!volumes.isEmpty()) {
            y.append("volumes:\n");
            for (String v : volumes) {
                y.append("  ").append(v).append(": {}\n");
            }
        }
        write(dir.resolve("docker-compose.yml"), y.toString());
    }

    private void writeContext(String service) {
        Behaviour b = behaviours.get(service);
        Service s = deployment.inventory().get(service);
        Path ctx = dir.resolve(service);
        String healthFile = s.health().path().equals("/") ? "/www/index.html" : "/www" + s.health().path();
        var env = new StringBuilder();
        env.append("SERVICE=").append(quote(service)).append('\n');
        env.append("VERSION=").append(quote(b.version())).append('\n');
        env.append("PORT=").append(s.health().port()).append('\n');
        env.append("HEALTH_FILE=").append(quote(healthFile)).append('\n');
        env.append("START_DELAY=").append(seconds(b.startDelay())).append('\n');
        env.append("NEVER_HEALTHY=").append(b.neverHealthy() ? 1 : 0).append('\n');
        env.append("CRASH_AFTER=").append(b.crashAfter() == null ? "" : seconds(b.crashAfter())).append('\n');
        env.append("LOG_LINE=").append(quote(b.logLine() == null ? "" : b.logLine())).append('\n');
        var df = new StringBuilder("FROM ").append(BASE_IMAGE).append('\n');
        df.append("COPY behaviour.env start.sh /srv/\n");
        if (!b.buildDelay().isZero()) {
            // After the COPY: a changed behaviour.env invalidates the cache, so a new version's build really waits.
            df.append("RUN sleep ").append(seconds(b.buildDelay())).append('\n');
        }
        if (b.failBuild()) {
            df.append("# fails on purpose: the file does not exist\nCOPY missing-on-purpose /srv/\n");
        }
        if (b.dockerHealthcheck()) {
            df.append("HEALTHCHECK --interval=1s --timeout=1s --retries=2 CMD wget -q -O /dev/null http://127.0.0.1:")
                    .append(s.health().port()).append(s.health().path()).append(" || exit 1\n");
        }
        df.append("LABEL org.homeiq.mini.version=\"").append(b.version()).append("\"\n");
        df.append("CMD [\"/bin/sh\", \"/srv/start.sh\"]\n");
        write(ctx.resolve("behaviour.env"), env.toString());
        write(ctx.resolve("start.sh"), START_SH);
        write(ctx.resolve("Dockerfile"), df.toString());
    }

    // PID 1 in the container: httpd in the background so TERM stops it at once; health and crash
    // are timed by background subshells so the behaviour is exact and never blocks a stop.
    private static final String START_SH = """
            #!/bin/sh
            . /srv/behaviour.env
            mkdir -p /www
            echo "$VERSION" > /www/version
            echo "$SERVICE version $VERSION starting on 127.0.0.1:$PORT"
            [ -n "$LOG_LINE" ] && echo "$LOG_LINE"
            [ -d /data ] && echo "$SERVICE $VERSION started" >> /data/starts.log
            httpd -f -p "127.0.0.1:$PORT" -h /www &
            httpd=$!
            trap 'kill $httpd 2>/dev/null; exit 0' TERM INT
            if [ "$NEVER_HEALTHY" != 1 ]; then
              ( sleep "$START_DELAY"; mkdir -p "$(dirname "$HEALTH_FILE")"; echo ok > "$HEALTH_FILE"; echo "$SERVICE ready" ) &
            else
              echo "$SERVICE: dependency check failed, not ready"
            fi
            if [ -n "$CRASH_AFTER" ]; then
              ( sleep "$CRASH_AFTER"; echo "$SERVICE: fatal error, exiting"; kill $httpd ) &
            fi
            wait $httpd
            exit 1
            """;

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
    }

    private static String quote(String v) {
        if (v.contains("'") || v.contains("\n")) {
            throw new IllegalArgumentException("no quotes or newlines in miniature settings: " + v);
        }
        return "'" + v + "'";
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
