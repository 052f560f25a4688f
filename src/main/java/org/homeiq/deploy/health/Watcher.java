package org.homeiq.deploy.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.homeiq.deploy.docker.ContainerEvent;
import org.homeiq.deploy.docker.DockerEngine;
import org.homeiq.deploy.model.Service;
import org.homeiq.deploy.report.Console;

/**
 * Watches every service in flight of one compose project: one subscription to Docker's event
 * stream (start, die, restart, health_status), HTTP probes on one clock thread, a few threads for
 * the blocking reads (inspect, logs). No thread or process per service and no cap on how many are
 * watched at once: a 45-service {@code health-gate --all} holds every window in parallel.
 */
public final class Watcher implements AutoCloseable {
    /**
     * A look at the container now and then while it is watched, in case an event was lost (a resumed
     * stream replays what it missed, so this is a safety net; every window also ends with a look).
     * Each look is a full inspect, decoded: for 45 services every 2 s that was 22 a second.
     */
    static final Duration INSPECT_EVERY = Duration.ofSeconds(10);
    private static final int READ_THREADS = 4;

    private final DockerEngine engine;
    private final String project;
    private final HealthProbe probe;
    private final Console console;
    private final ScheduledThreadPoolExecutor clock;
    private final ExecutorService reads;
    /** The watch of each service, touched on the clock thread only. */
    private final Map<String, Watch> watching = new HashMap<>();
    private final DockerEngine.Subscription events;
    /** When each container of the project last stopped: a deploy's downtime starts there. */
    private final Map<String, Instant> stopped = new java.util.concurrent.ConcurrentHashMap<>();

    public Watcher(DockerEngine engine, String project, HealthProbe probe, Console console) {
        this.engine = engine;
        this.project = project;
        this.probe = probe;
        this.console = console;
        this.clock = new ScheduledThreadPoolExecutor(1, daemon("homeiq-watcher"));
        this.clock.setRemoveOnCancelPolicy(true);
        this.reads = Executors.newFixedThreadPool(READ_THREADS, daemon("homeiq-watcher-read"));
        // Subscribed before anything is deployed: no event of this run is missed.
        this.events = engine.events(project, e -> onClock(() -> route(e)));
    }

    /**
     * Starts watching a service's container.
     *
     * @param since the earliest moment its clock may start (the deploy's start; now for a plain gate)
     * @param baseRestarts the restart count that is no restart (0 for a container just created), or null for its current one
     */
    public Watch watch(Service service, GateOptions options, Instant since, Integer baseRestarts) {
        Watch w = new Watch(this, service, options, since, baseRestarts);
        onClock(() -> {
            Watch old = watching.put(service.name(), w);
            if (old != null) {
                old.cancel();
            }
            w.begin();
        });
        return w;
    }

    /**
     * One probe whose answer is ignored: the HTTP client loads its classes and opens its selector now
     * (a second or more on a busy host), while images build, not when the first service comes up.
     */
    public void warmUp(Service service) {
        probe.get(service.health().uri());
    }

    /** Gates the services at once, each with its own settings, and waits for every verdict (in the order given). */
    public List<ServiceHealth> gate(List<Service> services, java.util.function.Function<Service, GateOptions> options) {
        return gate(services, options, Instant.now());
    }

    /** The same, for services changed since {@code since} (a rollback's redeploy): their clocks start at their containers' start. */
    public List<ServiceHealth> gate(List<Service> services, java.util.function.Function<Service, GateOptions> options, Instant since) {
        var watches = new ArrayList<Watch>();
        for (Service s : services) {
            watches.add(watch(s, options.apply(s), since, null));
        }
        var out = new ArrayList<ServiceHealth>();
        for (Watch w : watches) {
            out.add(join(w.verdict()));
        }
        return out;
    }

    /** Waits for a result of the run path; a broken read (daemon gone) is rethrown as it was. */
    public static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        } catch (CancellationException e) {
            throw new IllegalStateException("the watch was cancelled", e);
        }
    }

    DockerEngine engine() {
        return engine;
    }

    String project() {
        return project;
    }

    HealthProbe probe() {
        return probe;
    }

    Console console() {
        return console;
    }

    /** When the container last died, as Docker's events said; empty when no event said so. */
    public java.util.Optional<Instant> stoppedAt(String containerId) {
        return java.util.Optional.ofNullable(stopped.get(containerId));
    }

    private void route(ContainerEvent e) {
        if ("die".equals(e.action()) && e.time() != null) {
            stopped.put(e.containerId(), e.time());
        }
        Watch w = e.service() == null ? null : watching.get(e.service());
        if (w != null) {
            w.deliver(e);
        }
    }

    void forget(Watch w) {
        watching.remove(w.service().name(), w);
    }

    void onClock(Runnable r) {
        try {
            clock.execute(r);
        } catch (RejectedExecutionException closed) {
            // the run is over
        }
    }

    ScheduledFuture<?> schedule(Runnable r, long millis) {
        try {
            return clock.schedule(r, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            return null;
        }
    }

    ScheduledFuture<?> every(Runnable r, long millis) {
        try {
            return clock.scheduleWithFixedDelay(r, millis, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            return null;
        }
    }

    /** A blocking read off the clock thread; its result (or failure) comes back on the clock thread. */
    <T> void read(Supplier<T> read, Consumer<T> then, Consumer<Throwable> failed) {
        try {
            CompletableFuture.supplyAsync(read, reads).whenComplete((v, e) -> onClock(() -> {
                if (e != null) {
                    failed.accept(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                } else {
                    then.accept(v);
                }
            }));
        } catch (RejectedExecutionException closed) {
            // the run is over
        }
    }

    @Override
    public void close() {
        events.close();
        clock.shutdownNow();
        reads.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
