package org.homeiq.deploy.docker;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.health.HealthProbe;
import org.homeiq.deploy.model.Service;

/**
 * Docker, Compose and the services' health endpoints in memory, for unit tests of the run path:
 * containers with state, health, restart counts; images and tags; events delivered in order on
 * one thread; and per service a {@link Script} baked into the image its next build makes (slow
 * start, never healthy, crash after N, failing build, Docker "unhealthy" before "healthy", failing
 * {@code up}). Time is real: scripts use short durations and tests wait on results, never sleep.
 */
public final class InMemoryDocker implements DockerEngine, ComposeProject, HealthProbe {

    /** How the next image of a service behaves. */
    public record Script(String version, Duration startDelay, boolean neverHealthy, Duration crashAfter, boolean failBuild,
            Duration buildTime, boolean healthcheck, Duration unhealthyFor, boolean upFails, List<String> logLines) {

        public static Script healthy() {
            return new Script("1", Duration.ZERO, false, null, false, Duration.ofMillis(30), false, Duration.ZERO, false, List.of());
        }

        public Script version(String v) {
            return new Script(v, startDelay, neverHealthy, crashAfter, failBuild, buildTime, healthcheck, unhealthyFor, upFails, logLines);
        }

        public Script startDelay(Duration d) {
            return new Script(version, d, neverHealthy, crashAfter, failBuild, buildTime, healthcheck, unhealthyFor, upFails, logLines);
        }

        public Script neverGetsHealthy() {
            return new Script(version, startDelay, true, crashAfter, failBuild, buildTime, healthcheck, unhealthyFor, upFails, logLines);
        }

        public Script crashAfter(Duration d) {
            return new Script(version, startDelay, neverHealthy, d, failBuild, buildTime, healthcheck, unhealthyFor, upFails, logLines);
        }

        public Script failsToBuild() {
            return new Script(version, startDelay, neverHealthy, crashAfter, true, buildTime, healthcheck, unhealthyFor, upFails, logLines);
        }

        public Script buildTime(Duration d) {
            return new Script(version, startDelay, neverHealthy, crashAfter, failBuild, d, healthcheck, unhealthyFor, upFails, logLines);
        }

        /** A Docker HEALTHCHECK that reports unhealthy for {@code d}, then healthy. */
        public Script unhealthyFirst(Duration d) {
            return new Script(version, startDelay, neverHealthy, crashAfter, failBuild, buildTime, true, d, upFails, logLines);
        }

        public Script withHealthcheck() {
            return new Script(version, startDelay, neverHealthy, crashAfter, failBuild, buildTime, true, unhealthyFor, upFails, logLines);
        }

        /** {@code up} stops the old container, then fails creating the new one (a bad value in the compose file). */
        public Script failsToComeUp() {
            return new Script(version, startDelay, neverHealthy, crashAfter, failBuild, buildTime, healthcheck, unhealthyFor, true, logLines);
        }

        public Script logLine(String line) {
            var l = new ArrayList<>(logLines);
            l.add(line);
            return new Script(version, startDelay, neverHealthy, crashAfter, failBuild, buildTime, healthcheck, unhealthyFor, upFails, l);
        }
    }

    /** Something that happened, for assertions about order and overlap. */
    public record Op(Instant at, String what, String service) {
    }

    private record Image(String id, String service, Script script, Instant created) {
    }

    private final class Container {
        final String id;
        String name;
        final String service;
        final String imageRef;
        final String imageId;
        String status = "created";
        boolean refusesStart;
        boolean running;
        int exitCode;
        int restartCount;
        String health;
        Instant startedAt;
        final List<String> logs = new ArrayList<>();
        final List<ScheduledFuture<?>> timers = new ArrayList<>();

        Container(String service, String imageRef, String imageId) {
            this.id = String.format("%064x", ++counter);
            this.name = project + "_" + service + "_1";
            this.service = service;
            this.imageRef = imageRef;
            this.imageId = imageId;
        }

        Script script() {
            return images.get(imageId).script();
        }

        ContainerState state() {
            return new ContainerState(id, name, imageRef, imageId, status, running, exitCode, restartCount, health,
                    startedAt == null ? "0001-01-01T00:00:00Z" : startedAt.toString());
        }
    }

    private final String project;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, String> tags = new HashMap<>();
    private final Map<String, Image> images = new HashMap<>();
    private final Map<String, Script> next = new HashMap<>();
    private final List<Container> containers = new ArrayList<>();
    private final List<Consumer<ContainerEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> daemon(r, "fake-docker-events"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fake-docker-timers"));
    private final List<Op> ops = new CopyOnWriteArrayList<>();
    private final java.util.Set<String> broken = new java.util.HashSet<>();
    private final java.util.Set<String> refusesStart = new java.util.HashSet<>();
    private long counter;
    private int buildsRunning;
    private int maxBuildsRunning;
    private volatile Duration healthcheckInterval = Duration.ofMillis(50);

    /** A project whose services run version 1, healthy, started a while ago. */
    public InMemoryDocker(String project, List<Service> services) {
        this.project = project;
        for (Service s : services) {
            ports.put(s.name(), s.port());
            Image img = newImage(s.name(), Script.healthy());
            tags.put(ref(s.name()), img.id());
            Container c = new Container(s.name(), ref(s.name()), img.id());
            containers.add(c);
            c.running = true;
            c.status = "running";
            c.startedAt = Instant.now().minusSeconds(3600);
        }
    }

    /** The image reference compose runs a service from. */
    public String ref(String service) {
        return project + "/" + service + ":latest";
    }

    /** How the service's next build behaves. */
    public synchronized InMemoryDocker script(String service, Script script) {
        next.put(service, script);
        return this;
    }

    /** How the image the service runs now behaves (its restore point, after a rebuild). */
    public synchronized InMemoryDocker current(String service, Script script) {
        String id = tags.get(ref(service));
        Image img = images.get(id);
        images.put(id, new Image(id, img.service(), script, img.created()));
        return this;
    }

    /**
     * Compose cannot act on the service any more (a bad value in the compose file): up stops the old
     * container and fails, start and restart fail.
     */
    /**
     * Docker refuses to start the service's next container (a device that does not exist): what compose v1
     * leaves is the old container renamed and exited and the new one created, never started.
     */
    public synchronized InMemoryDocker refuseStart(String service) {
        refusesStart.add(service);
        return this;
    }

    public synchronized InMemoryDocker breakCompose(String service) {
        broken.add(service);
        return this;
    }

    public List<Op> ops() {
        return List.copyOf(ops);
    }

    /** When {@code what} first happened to {@code service}, if it did. */
    public Optional<Instant> first(String what, String service) {
        return ops.stream().filter(o -> o.what().equals(what) && o.service().equals(service)).map(Op::at).findFirst();
    }

    public synchronized int maxBuildsAtOnce() {
        return maxBuildsRunning;
    }

    /** The version the service's running container answers, or empty when none runs. */
    public synchronized Optional<String> version(String service) {
        return running(service).map(c -> c.script().version());
    }

    public synchronized Optional<String> runningContainerId(String service) {
        return running(service).map(c -> c.id);
    }

    // ---- DockerEngine ----

    @Override
    public String serverVersion() {
        return "20.10-in-memory";
    }

    @Override
    public synchronized Optional<ContainerState> serviceContainer(String proj, String service) {
        if (!project.equals(proj)) {
            return Optional.empty();
        }
        Container newest = null;
        for (Container c : containers) {
            if (c.service.equals(service)) {
                newest = c;
            }
        }
        return Optional.ofNullable(newest).map(Container::state);
    }

    @Override
    public synchronized Optional<ContainerState> container(String idOrName) {
        return find(idOrName).map(Container::state);
    }

    @Override
    public synchronized List<String> logs(String container, int lines) {
        List<String> all = find(container).map(c -> List.copyOf(c.logs)).orElse(List.of());
        return all.size() > lines ? all.subList(all.size() - lines, all.size()) : all;
    }

    @Override
    public synchronized Optional<ImageInfo> image(String ref) {
        String id = tags.getOrDefault(ref, images.containsKey(ref) ? ref : null);
        if (id == null) {
            return Optional.empty();
        }
        Image img = images.get(id);
        var repoTags = tags.entrySet().stream().filter(e -> e.getValue().equals(id)).map(Map.Entry::getKey).sorted().toList();
        return Optional.of(new ImageInfo(id, repoTags, img.created().toString(), Map.of()));
    }

    @Override
    public synchronized List<String> images(String reference) {
        String glob = reference.replace(".", "\\.").replace("*", "[^/]*");
        return tags.keySet().stream().filter(t -> ImageRef.parse(t).repository().matches(glob)).sorted().toList();
    }

    @Override
    public synchronized void tag(String source, String target) {
        String id = tags.getOrDefault(source, images.containsKey(source) ? source : null);
        if (id == null) {
            throw new EnvironmentException("'docker tag " + source + " " + target + "' failed: No such image: " + source);
        }
        tags.put(target, id);
    }

    @Override
    public synchronized void untag(String ref) {
        tags.remove(ref);
    }

    @Override
    public Subscription events(String proj, Consumer<ContainerEvent> listener) {
        Consumer<ContainerEvent> l = proj.equals(project) ? listener : e -> { };
        subscribers.add(l);
        return () -> subscribers.remove(l);
    }

    @Override
    public void close() {
        delivery.shutdownNow();
        timers.shutdownNow();
    }

    // ---- ComposeProject ----

    @Override
    public String name() {
        return project;
    }

    @Override
    public Path projectDir() {
        return Path.of("/in-memory/" + project);
    }

    @Override
    public List<String> services() {
        return List.copyOf(ports.keySet());
    }

    @Override
    public ProcessResult build(List<String> services, boolean noCache) {
        for (String s : services) {
            Script script;
            synchronized (this) {
                script = next.getOrDefault(s, Script.healthy());
                buildsRunning++;
                maxBuildsRunning = Math.max(maxBuildsRunning, buildsRunning);
            }
            op("build-start", s);
            try {
                Thread.sleep(script.buildTime().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                buildsRunning--;
                op("build-end", s);
                if (script.failBuild()) {
                    return new ProcessResult(List.of("docker-compose", "build", s), 1, "Step 3/5 : COPY missing-on-purpose /x\n",
                            "COPY failed: file not found in build context: stat missing-on-purpose: file does not exist", false);
                }
                tags.put(ref(s), newImage(s, script).id());
            }
        }
        return new ProcessResult(List.of("docker-compose", "build"), 0, "built", "", false);
    }

    @Override
    public synchronized ProcessResult up(List<String> services) {
        for (String s : services) {
            String id = tags.get(ref(s));
            Optional<Container> current = newest(s);
            if (current.isPresent() && current.get().imageId.equals(id) && current.get().running) {
                continue;
            }
            recreate(s);
        }
        return ok("up");
    }

    @Override
    public synchronized ProcessResult recreate(List<String> services) {
        services.forEach(this::recreate);
        return ok("up --force-recreate");
    }

    /** The service's container restarts and Docker's event of it is lost: only a look at the container shows it. */
    public synchronized void restartUnseen(String service) {
        for (Container c : containers) {
            if (c.service.equals(service) && c.running) {
                c.restartCount++;
                c.startedAt = Instant.now();
            }
        }
    }

    @Override
    public synchronized ProcessResult restart(List<String> services) {
        refuseBroken("restart", services);
        for (String s : services) {
            for (Container c : List.copyOf(containers)) {
                if (c.service.equals(s)) {
                    stop(c);
                    start(c);
                    emit(c, "restart", null, null);
                }
            }
        }
        return ok("restart");
    }

    @Override
    public synchronized ProcessResult stop(List<String> services) {
        for (Container c : List.copyOf(containers)) {
            if (services.contains(c.service)) {
                stop(c);
            }
        }
        return ok("stop");
    }

    @Override
    public synchronized ProcessResult start(List<String> services) {
        refuseBroken("start", services);
        for (Container c : containers) {
            if (services.contains(c.service) && c.refusesStart) {
                throw new EnvironmentException(cannotStart("start", c.service));
            }
        }
        for (Container c : List.copyOf(containers)) {
            if (services.contains(c.service) && !c.running) {
                start(c);
            }
        }
        return ok("start");
    }

    // ---- HealthProbe: the services' /health endpoints ----

    @Override
    public CompletableFuture<String> get(URI uri) {
        String answer;
        synchronized (this) {
            String service = ports.entrySet().stream().filter(e -> e.getValue() == uri.getPort()).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
            Optional<Container> c = service == null ? Optional.empty() : running(service);
            if (c.isEmpty() || Instant.now().isBefore(c.get().startedAt.plus(c.get().script().startDelay()))) {
                answer = "connection refused";
            } else {
                answer = c.get().script().neverHealthy() ? "HTTP 404" : "HTTP 200";
            }
        }
        return CompletableFuture.completedFuture(answer);
    }

    // ---- the containers' lives ----

    private void recreate(String s) {
        Optional<Container> old = newest(s);
        Image img = images.get(tags.get(ref(s)));
        old.ifPresent(this::stop);
        op("up", s);
        if (img.script().upFails() || broken.contains(s)) {
            // What compose v1 leaves behind: the old container renamed and exited, no new one.
            old.ifPresent(c -> c.name = c.id.substring(0, 12) + "_" + c.name);
            throw new EnvironmentException("'docker-compose up -d --no-deps --no-build " + s
                    + "' failed (exit code 1): ERROR: for " + s + "  Cannot create container: invalid mount config for type \"bind\"");
        }
        if (refusesStart.remove(s)) {
            old.ifPresent(c -> c.name = c.id.substring(0, 12) + "_" + c.name);
            Container created = new Container(s, ref(s), img.id());
            created.refusesStart = true;
            containers.add(created);
            emit(created, "create", null, null);
            throw new EnvironmentException(cannotStart("up -d --no-deps --no-build", s));
        }
        old.ifPresent(c -> {
            containers.remove(c);
            emit(c, "destroy", null, null);
        });
        Container c = new Container(s, ref(s), img.id());
        containers.add(c);
        emit(c, "create", null, null);
        start(c);
    }

    private void refuseBroken(String verb, List<String> services) {
        for (String s : services) {
            if (broken.contains(s)) {
                throw new EnvironmentException("'docker-compose " + verb + " " + s + "' failed (exit code 1): ERROR: for " + s
                        + "  Cannot start service " + s + ": invalid mount config for type \"bind\"");
            }
        }
    }

    private static String cannotStart(String verb, String s) {
        return "'docker-compose " + verb + " " + s + "' failed (exit code 1): ERROR: for " + s + "  Cannot start service " + s
                + ": error gathering device information while adding custom device \"/dev/missing\": no such file or directory";
    }

    @Override
    public synchronized void removeContainer(String id) {
        for (Container c : List.copyOf(containers)) {
            if (c.id.equals(id)) {
                c.timers.forEach(t -> t.cancel(false));
                containers.remove(c);
                emit(c, "destroy", null, null);
            }
        }
    }

    private void start(Container c) {
        c.running = true;
        c.status = "running";
        c.exitCode = 0;
        c.startedAt = Instant.now();
        Script script = c.script();
        c.logs.add("listening on :" + ports.get(c.service) + " (version " + script.version() + ")");
        c.logs.addAll(script.logLines());
        op("start", c.service);
        emit(c, "start", null, null);
        if (script.healthcheck()) {
            c.health = "starting";
            if (script.neverHealthy()) {
                later(c, healthcheckInterval, () -> health(c, "unhealthy"));
            } else {
                if (!script.unhealthyFor().isZero()) {
                    later(c, healthcheckInterval, () -> health(c, "unhealthy"));
                }
                Duration healthy = script.unhealthyFor().compareTo(script.startDelay()) > 0 ? script.unhealthyFor() : script.startDelay();
                later(c, healthy.plus(healthcheckInterval.multipliedBy(2)), () -> health(c, "healthy"));
            }
        }
        if (script.crashAfter() != null) {
            later(c, script.crashAfter(), () -> {
                c.logs.add("fatal error, exiting");
                exited(c, 1);
            });
        }
    }

    private void stop(Container c) {
        if (!c.running) {
            return;
        }
        emit(c, "kill", null, null);
        exited(c, 0);
        emit(c, "stop", null, null);
        op("stopped", c.service);
    }

    private void exited(Container c, int code) {
        c.timers.forEach(t -> t.cancel(false));
        c.timers.clear();
        c.running = false;
        c.status = "exited";
        c.exitCode = code;
        if (c.health != null) {
            c.health = "unhealthy";
        }
        emit(c, "die", null, code);
    }

    private void health(Container c, String status) {
        if (c.running && !status.equals(c.health)) {
            c.health = status;
            emit(c, "health_status", status, null);
        }
    }

    private void later(Container c, Duration d, Runnable r) {
        c.timers.add(timers.schedule(() -> {
            synchronized (this) {
                r.run();
            }
        }, d.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void emit(Container c, String action, String health, Integer exit) {
        var e = new ContainerEvent(c.id, c.service, action, health, exit, Instant.now());
        delivery.execute(() -> subscribers.forEach(l -> l.accept(e)));
    }

    private Image newImage(String service, Script script) {
        Image img = new Image("sha256:" + String.format("%064x", ++counter), service, script, Instant.now());
        images.put(img.id(), img);
        return img;
    }

    private Optional<Container> newest(String service) {
        Container n = null;
        for (Container c : containers) {
            if (c.service.equals(service)) {
                n = c;
            }
        }
        return Optional.ofNullable(n);
    }

    private Optional<Container> running(String service) {
        return containers.stream().filter(c -> c.service.equals(service) && c.running).findFirst();
    }

    private Optional<Container> find(String idOrName) {
        return containers.stream().filter(c -> c.id.equals(idOrName) || c.id.startsWith(idOrName) || c.name.equals(idOrName)).findFirst();
    }

    private void op(String what, String service) {
        ops.add(new Op(Instant.now(), what, service));
    }

    private static ProcessResult ok(String what) {
        return new ProcessResult(List.of("docker-compose", what), 0, "", "", false);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
