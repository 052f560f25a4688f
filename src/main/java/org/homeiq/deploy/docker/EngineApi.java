package org.homeiq.deploy.docker;

import static org.homeiq.deploy.docker.ComposeCli.ONE_OFF_LABEL;
import static org.homeiq.deploy.docker.ComposeCli.PROJECT_LABEL;
import static org.homeiq.deploy.docker.ComposeCli.SERVICE_LABEL;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.VolumeOptions;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.homeiq.deploy.EnvironmentException;

/**
 * {@link DockerEngine} on the Docker Engine API, through docker-java and its zero-dependency
 * transport: the Unix socket, the Windows named pipe or plain tcp, whichever {@code DOCKER_HOST}
 * (or the current docker context) names; the platform's socket otherwise. One instance per run;
 * it is safe to use from many threads.
 *
 * <p>Volume content goes through the archive endpoint of a container created for the copy and
 * never started (see {@link DockerVolumes}), so no helper image has to be on the host; the bulk
 * bytes of that endpoint go through {@code docker cp}, which moves them several times faster.
 *
 * <p>Two connection pools: one for calls, whose reads time out (a daemon that stops answering is
 * an environment problem, not a hang), and one for event streams, which are idle for as long as
 * nothing happens.
 */
public final class EngineApi implements DockerEngine, DockerVolumes {
    /** Inspect, list and tag answer in milliseconds; a daemon silent this long is in trouble. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Labels the never-started copy containers, so a leftover of a killed run is recognisable. */
    private static final String COPY_LABEL = "org.homeiq.deploy.helper";
    /** A volume of HomeIQ's size streams in minutes; hours means something is stuck. */
    private static final Duration COPY_TIMEOUT = Duration.ofHours(6);
    /** Where a copy container mounts the volume: a path no image has, so Docker copies nothing into it. */
    private static final String COPY_MOUNT = "/homeiq-volume";

    private final URI host;
    private final DockerClient calls;
    private final DockerClient streams;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final ProcessRunner runner = new ProcessRunner();

    private EngineApi(URI host, DockerClient calls, DockerClient streams) {
        this.host = host;
        this.calls = calls;
        this.streams = streams;
    }

    /**
     * A client whose daemon answered. An unreachable daemon, a socket that is not there, or a
     * {@code DOCKER_HOST} this client cannot speak is an {@link EnvironmentException} naming the address.
     */
    public static EngineApi connect() {
        return connect(null);
    }

    /** As {@link #connect()}, with {@code dockerHost} (e.g. {@code unix:///x.sock}) instead of DOCKER_HOST; null for the default. */
    static EngineApi connect(String dockerHost) {
        DockerClientConfig config;
        try {
            var settings = DefaultDockerClientConfig.createDefaultConfigBuilder();
            if (dockerHost != null) {
                settings.withDockerHost(dockerHost);
            }
            config = settings.build();
        } catch (RuntimeException e) {
            throw new EnvironmentException("cannot read the Docker client settings (DOCKER_HOST, DOCKER_CONTEXT, "
                    + "~/.docker/config.json): " + e.getMessage(), e);
        }
        URI host = config.getDockerHost();
        if (config.getSSLConfig() != null) {
            // TLS client certificates would need bouncycastle (~10 MB), left out of the jar on purpose.
            throw new EnvironmentException("the Docker daemon at " + host + " needs TLS (DOCKER_TLS_VERIFY / "
                    + "DOCKER_CERT_PATH), which this engine does not speak: run it on the Docker host (its "
                    + "Unix socket or named pipe) or reach the daemon through an SSH tunnel");
        }
        EngineApi engine;
        try {
            engine = new EngineApi(host, client(config, CALL_TIMEOUT), client(config, null));
        } catch (RuntimeException e) {
            throw new EnvironmentException("cannot talk to the Docker daemon at " + host + ": " + e.getMessage()
                    + " (supported: unix://, npipe://, tcp:// without TLS)", e);
        }
        try {
            engine.serverVersion();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        return engine;
    }

    private static DockerClient client(DockerClientConfig config, Duration responseTimeout) {
        var http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .connectionTimeout(CONNECT_TIMEOUT);
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    /** The daemon address in use, for messages. */
    public URI host() {
        return host;
    }

    @Override
    public String serverVersion() {
        return call("ask the daemon for its version", () -> calls.versionCmd().exec().getVersion());
    }

    @Override
    public Optional<ContainerState> serviceContainer(String project, String service) {
        List<Container> found = call("list the containers of " + project + "/" + service, () -> calls.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(PROJECT_LABEL, project, SERVICE_LABEL, service))
                .exec());
        return found.stream()
                .filter(c -> !"True".equalsIgnoreCase(c.getLabels() == null ? null : c.getLabels().get(ONE_OFF_LABEL)))
                .max(Comparator.comparing(c -> c.getCreated() == null ? 0L : c.getCreated()))
                .flatMap(c -> container(c.getId()));
    }

    @Override
    public Optional<ContainerState> container(String idOrName) {
        return lookup("inspect container " + idOrName, () -> calls.inspectContainerCmd(idOrName).exec())
                .map(EngineApi::state);
    }

    private static ContainerState state(InspectContainerResponse c) {
        var s = c.getState();
        String health = s.getHealth() == null ? null : s.getHealth().getStatus();
        Long exit = s.getExitCodeLong();
        return new ContainerState(
                c.getId(),
                c.getName() == null ? "" : c.getName().replaceFirst("^/", ""),
                c.getConfig() == null || c.getConfig().getImage() == null ? "" : c.getConfig().getImage(),
                c.getImageId(),
                s.getStatus(),
                Boolean.TRUE.equals(s.getRunning()),
                exit == null ? 0 : exit.intValue(),
                c.getRestartCount() == null ? 0 : c.getRestartCount(),
                health,
                s.getStartedAt());
    }

    @Override
    public List<String> logs(String container, int lines) {
        if (lines <= 0) {
            return List.of();
        }
        var collector = new LogLines();
        try {
            calls.logContainerCmd(container).withStdOut(true).withStdErr(true).withTail(lines).exec(collector);
            if (!collector.awaitCompletion(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                collector.close();
                throw new EnvironmentException("the Docker daemon at " + host + " sent no logs of " + container
                        + " within " + CALL_TIMEOUT.toSeconds() + " s");
            }
        } catch (NotFoundException gone) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted while reading the logs of " + container, e);
        } catch (java.io.IOException e) {
            throw new EnvironmentException("cannot end the log stream of " + container + ": " + e.getMessage(), e);
        } catch (EnvironmentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure("read the logs of " + container, e);
        }
        List<String> all = collector.lines();
        return all.size() > lines ? all.subList(all.size() - lines, all.size()) : all;
    }

    /** Frames into lines, per stream (a frame may end mid-line), in the order the daemon sent them. */
    private static final class LogLines extends ResultCallback.Adapter<Frame> {
        private final List<String> lines = new ArrayList<>();
        private final Map<StreamType, StringBuilder> partial = new java.util.EnumMap<>(StreamType.class);

        @Override
        public synchronized void onNext(Frame frame) {
            StringBuilder open = partial.computeIfAbsent(frame.getStreamType(), t -> new StringBuilder());
            open.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            int nl;
            while ((nl = open.indexOf("\n")) >= 0) {
                add(open.substring(0, nl));
                open.delete(0, nl + 1);
            }
        }

        private void add(String line) {
            String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (!l.isEmpty()) {
                lines.add(l);
            }
        }

        synchronized List<String> lines() {
            partial.values().forEach(rest -> add(rest.toString()));
            partial.clear();
            return new ArrayList<>(lines);
        }
    }

    @Override
    public Optional<ImageInfo> image(String ref) {
        return lookup("inspect image " + ref, () -> calls.inspectImageCmd(ref).exec()).map(EngineApi::image);
    }

    private static ImageInfo image(InspectImageResponse i) {
        Map<String, String> labels = i.getConfig() == null || i.getConfig().getLabels() == null ? Map.of() : i.getConfig().getLabels();
        return new ImageInfo(i.getId(), i.getRepoTags() == null ? List.of() : i.getRepoTags(),
                i.getCreated() == null ? "" : i.getCreated(), labels);
    }

    @Override
    public List<String> images(String reference) {
        var found = call("list images " + reference, () -> calls.listImagesCmd().withReferenceFilter(reference).exec());
        var refs = new ArrayList<String>();
        for (var i : found) {
            if (i.getRepoTags() != null) {
                for (String t : i.getRepoTags()) {
                    if (!"<none>:<none>".equals(t)) {
                        refs.add(t);
                    }
                }
            }
        }
        return refs;
    }

    @Override
    public void tag(String source, String target) {
        ImageRef t = ImageRef.parse(target);
        call("tag " + source + " as " + target, () -> {
            calls.tagImageCmd(source, t.repository(), t.tag()).exec();
            return null;
        });
    }

    @Override
    public void untag(String ref) {
        lookup("remove tag " + ref, () -> calls.removeImageCmd(ref).exec());
    }

    @Override
    public Optional<VolumeInfo> volume(String name) {
        return lookup("inspect volume " + name, () -> calls.inspectVolumeCmd(name).exec()).map(v -> new VolumeInfo(v.getName(),
                v.getDriver(), v.getMountpoint(), v.getLabels() == null ? Map.of() : v.getLabels()));
    }

    @Override
    public List<String> volumes(Map<String, String> labels) {
        var filter = labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        var found = call("list volumes labelled " + filter, () -> calls.listVolumesCmd().withFilter("label", filter).exec());
        return found.getVolumes() == null ? List.of() : found.getVolumes().stream().map(v -> v.getName()).toList();
    }

    @Override
    public void createVolume(String name, Map<String, String> labels) {
        call("create volume " + name, () -> calls.createVolumeCmd().withName(name).withDriver("local").withLabels(labels).exec());
    }

    @Override
    public void removeVolume(String name) {
        lookup("remove volume " + name, () -> calls.removeVolumeCmd(name).exec());
    }

    @Override
    public boolean emptiedByRecreating(String name) {
        var v = call("inspect volume " + name, () -> calls.inspectVolumeCmd(name).exec());
        return "local".equals(v.getDriver()) && (v.getOptions() == null || v.getOptions().isEmpty());
    }

    @Override
    public void recreateEmpty(String name) {
        var v = call("inspect volume " + name, () -> calls.inspectVolumeCmd(name).exec());
        call("remove volume " + name, () -> calls.removeVolumeCmd(name).exec());
        call("create volume " + name + " again", () -> calls.createVolumeCmd().withName(name).withDriver(v.getDriver())
                .withDriverOpts(v.getOptions() == null ? Map.of() : v.getOptions())
                .withLabels(v.getLabels() == null ? Map.of() : v.getLabels()).exec());
    }

    @Override
    public List<User> users(String volume) {
        List<Container> found = call("list the containers of volume " + volume,
                () -> calls.listContainersCmd().withShowAll(true).withVolumeFilter(List.of(volume)).exec());
        return found.stream().map(c -> {
            Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
            String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0].replaceFirst("^/", "");
            return new User(c.getId(), name, labels.get(PROJECT_LABEL), labels.get(SERVICE_LABEL), labels.containsKey(COPY_LABEL));
        }).toList();
    }

    @Override
    public void removeContainer(String id) {
        lookup("remove container " + id, () -> calls.removeContainerCmd(id).withForce(true).withRemoveVolumes(false).exec());
    }

    /*
     * The copies themselves go through `docker cp` against the same never-started container: the
     * same archive endpoint, but docker-java's socket transport moves a stream at ~30 MB/s here
     * where the CLI moves 160-260 MB/s (212 MB volume, load ~24), and a backup is bound by it.
     */
    @Override
    public void readVolume(String volume, String image, OutputStream tar) {
        String id = copyContainer(volume, image, true);
        try {
            copied(volume, runner.stream(List.of("docker", "cp", id + ":" + COPY_MOUNT + "/.", "-"), COPY_TIMEOUT, null, tar));
        } finally {
            removeContainer(id);
        }
    }

    @Override
    public void writeVolume(String volume, String image, InputStream tar) {
        String id = copyContainer(volume, image, false);
        try {
            copied(volume, runner.run(List.of("docker", "cp", "-", id + ":" + COPY_MOUNT), COPY_TIMEOUT, tar));
        } finally {
            removeContainer(id);
        }
    }

    private static void copied(String volume, ProcessResult r) {
        if (!r.ok()) {
            String why = r.timedOut() ? "no end within " + COPY_TIMEOUT.toHours() + " h" : "exit code " + r.exitCode();
            throw new EnvironmentException("copying volume " + volume + " with '" + r.commandLine() + "' failed (" + why + "): "
                    + r.diagnostic().strip());
        }
    }

    /** A container that only holds the mount for the archive endpoints: no network, no logs, never started. */
    private String copyContainer(String volume, String image, boolean readOnly) {
        var mount = new Mount().withType(MountType.VOLUME).withSource(volume).withTarget(COPY_MOUNT).withReadOnly(readOnly)
                .withVolumeOptions(new VolumeOptions().withNoCopy(true));
        return call("create a container (never started) for volume " + volume + " from image " + image,
                () -> calls.createContainerCmd(image)
                        .withName("homeiq-helper-" + java.util.UUID.randomUUID().toString().substring(0, 12))
                        .withLabels(Map.of(COPY_LABEL, volume))
                        .withEntrypoint("/homeiq-never-started")
                        .withCmd(List.of())
                        .withNetworkDisabled(true)
                        .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none")
                                .withLogConfig(new LogConfig(LogConfig.LoggingType.NONE)).withMounts(List.of(mount)))
                        .exec().getId());
    }

    @Override
    public Subscription events(String project, Consumer<ContainerEvent> listener) {
        var stream = new EventStream(project, listener);
        // The daemon answers the request before it registers the listener; "since" makes it replay
        // what happened in between from its event buffer, so nothing after this call is missed.
        Instant now = Instant.now();
        try {
            stream.open(now.getEpochSecond() * 1_000_000_000L + now.getNano());
        } catch (RuntimeException e) {
            stream.close();
            throw e;
        }
        subscriptions.add(stream);
        return stream;
    }

    /**
     * One subscription: docker-java reads the stream on a thread of its own; events are handed to
     * one delivery thread, so a slow listener never stalls the socket and a resumed stream (the
     * daemon ended it: restart, proxy timeout) keeps the same thread and order.
     */
    private final class EventStream implements Subscription {
        private final String project;
        private final Consumer<ContainerEvent> listener;
        private final java.util.concurrent.ExecutorService delivery;
        private volatile boolean closed;
        /** Docker's time of the newest event seen: a resumed stream starts just after it. */
        private volatile long lastNanos;
        private volatile Connection connection;

        EventStream(String project, Consumer<ContainerEvent> listener) {
            this.project = project;
            this.listener = listener;
            this.delivery = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "docker-events-" + project);
                t.setDaemon(true);
                return t;
            });
        }

        /** Opens the stream from {@code sinceNanos}; returns once the daemon answered. */
        void open(long sinceNanos) {
            lastNanos = Math.max(lastNanos, sinceNanos - 1);
            var c = new Connection(this);
            connection = c;
            streams.eventsCmd()
                    .withEventTypeFilter(EventType.CONTAINER)
                    .withLabelFilter(Map.of(PROJECT_LABEL, project))
                    .withSince((sinceNanos / 1_000_000_000L) + "." + String.format("%09d", sinceNanos % 1_000_000_000L))
                    .exec(c);
            try {
                if (!c.opened.await(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new EnvironmentException("the Docker daemon at " + host + " did not open an event stream within "
                            + CALL_TIMEOUT.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EnvironmentException("interrupted while opening the Docker event stream", e);
            }
            if (c.failure != null) {
                throw failure("open the event stream of " + project, c.failure);
            }
        }

        void receive(Event e) {
            ContainerEvent event = event(e);
            if (event == null || closed) {
                return;
            }
            // Not a filter: Docker may publish two events a few microseconds out of time order.
            lastNanos = Math.max(lastNanos, e.getTimeNano() != null ? e.getTimeNano() : 0L);
            delivery.execute(() -> {
                if (closed) {
                    return;
                }
                try {
                    listener.accept(event);
                } catch (RuntimeException listenerBug) {
                    // A bug in the listener is reported, but must not end the stream for the events that follow.
                    Thread t = Thread.currentThread();
                    t.getUncaughtExceptionHandler().uncaughtException(t, listenerBug);
                }
            });
        }

        /** The daemon ended an open stream: open it again from the last event, once a second until it answers. */
        void resume() {
            while (!closed) {
                try {
                    Thread.sleep(1000);
                    open(lastNanos + 1);
                    return;
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException daemonStillAway) {
                    // try again: the watcher's own timeouts decide when waiting is over
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            subscriptions.remove(this);
            Connection c = connection;
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // The stream is going away either way.
                }
            }
            delivery.shutdownNow();
        }
    }

    /** One HTTP request of a subscription. */
    private static final class Connection extends ResultCallback.Adapter<Event> {
        private final EventStream stream;
        final CountDownLatch opened = new CountDownLatch(1);
        volatile Throwable failure;

        Connection(EventStream stream) {
            this.stream = stream;
        }

        @Override
        public void onStart(Closeable response) {
            super.onStart(response);
            opened.countDown();
        }

        @Override
        public void onNext(Event e) {
            stream.receive(e);
        }

        @Override
        public void onError(Throwable t) {
            boolean wasOpen = opened.getCount() == 0;
            failure = t;
            opened.countDown();
            super.onError(t);
            if (wasOpen) {
                stream.resume();
            }
        }

        @Override
        public void onComplete() {
            super.onComplete();
            stream.resume();
        }
    }

    /** Docker's event in the engine's terms; null for events that are not a container's. */
    static ContainerEvent event(Event e) {
        if (e.getType() != null && e.getType() != EventType.CONTAINER) {
            return null;
        }
        String raw = e.getAction() != null ? e.getAction() : e.getStatus();
        if (raw == null) {
            return null;
        }
        // "health_status: healthy", "exec_start: sh -c ...": the word, then its detail.
        int colon = raw.indexOf(':');
        String action = colon < 0 ? raw : raw.substring(0, colon);
        String detail = colon < 0 ? null : raw.substring(colon + 1).strip();
        Map<String, String> attrs = e.getActor() == null || e.getActor().getAttributes() == null ? Map.of() : e.getActor().getAttributes();
        String id = e.getActor() != null && e.getActor().getId() != null ? e.getActor().getId() : e.getId();
        Integer exit = null;
        if ("die".equals(action) && attrs.get("exitCode") != null) {
            try {
                exit = Integer.valueOf(attrs.get("exitCode"));
            } catch (NumberFormatException ignored) {
                // left null: Docker wrote something that is not a number
            }
        }
        Instant time = e.getTimeNano() != null ? Instant.ofEpochSecond(0, e.getTimeNano())
                : Instant.ofEpochSecond(e.getTime() == null ? 0 : e.getTime());
        return new ContainerEvent(id, attrs.get(SERVICE_LABEL), action, "health_status".equals(action) ? detail : null, exit, time);
    }

    @Override
    public void close() {
        new ArrayList<>(subscriptions).forEach(Subscription::close);
        for (DockerClient c : List.of(calls, streams)) {
            try {
                c.close();
            } catch (java.io.IOException | RuntimeException ignored) {
                // Closing at the end of a run: nothing left to do about it.
            }
        }
    }

    /** A call whose "not found" is an answer (empty), not a failure. */
    private <T> Optional<T> lookup(String what, Supplier<T> call) {
        try {
            return Optional.ofNullable(call.get());
        } catch (NotFoundException missing) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw failure(what, e);
        }
    }

    /** A call whose every failure, "not found" included, is an environment problem saying what was attempted. */
    private <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw failure(what, e);
        }
    }

    private EnvironmentException failure(String what, Throwable e) {
        if (e instanceof EnvironmentException already) {
            return already;
        }
        if (e instanceof DockerException d) {
            return new EnvironmentException("Docker could not " + what + ": " + daemonMessage(d) + " (HTTP " + d.getHttpStatus() + ")", e);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return new EnvironmentException("the Docker daemon is unreachable at " + host + " (could not " + what + "): " + why, e);
    }

    /** docker-java's message is "Status 409: {"message":"..."}": the daemon's own words. */
    private static String daemonMessage(DockerException d) {
        String m = d.getMessage() == null ? "" : d.getMessage();
        int brace = m.indexOf('{');
        if (brace >= 0) {
            try {
                String text = JSON.readTree(m.substring(brace)).path("message").asText("");
                if (!text.isEmpty()) {
                    return text;
                }
            } catch (java.io.IOException notJson) {
                // fall through to the raw text
            }
        }
        return m.strip();
    }
}
