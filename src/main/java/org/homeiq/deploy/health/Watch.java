package org.homeiq.deploy.health;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import org.homeiq.deploy.docker.ContainerEvent;
import org.homeiq.deploy.docker.ContainerState;
import org.homeiq.deploy.model.Durations;
import org.homeiq.deploy.model.Service;

/**
 * One service in flight, as the {@link Watcher} sees it: waiting for healthy (HTTP 2xx, running,
 * Docker health when it has a HEALTHCHECK), then holding its stability window, then the log and
 * latency checks. Two results: {@link #promoted()} as soon as it is healthy (or failed before),
 * {@link #verdict()} once the window and the checks after it are through.
 *
 * <p>Clocks: time-to-healthy runs from the container's start (never before {@code since}, the moment
 * the caller began: a long-running container is not charged for its past); the timeout bounds that
 * time only, the window comes after it. Docker's {@code unhealthy} while waiting is a failing probe,
 * not a verdict: only an exit, a restart or the timeout end the wait early. All state is touched on
 * the watcher's one clock thread.
 */
public final class Watch {
    private enum Phase { LOOKING, WAITING, WINDOW, CHECKING, DONE }

    /** Consecutive failing HTTP probes inside the window that fail it (one lost request on a busy host does not). */
    static final int WINDOW_HTTP_FAILURES = 2;
    /** Requests per latency measurement: the median of these is compared with the baseline. */
    static final int LATENCY_SAMPLES = 9;

    private final Watcher watcher;
    private final Service service;
    private final GateOptions options;
    private final Instant since;
    private final Integer givenBaseRestarts;
    private final Instant watchStart = Instant.now();
    private final CompletableFuture<ServiceHealth> promoted = new CompletableFuture<>();
    private final CompletableFuture<ServiceHealth> verdict = new CompletableFuture<>();
    private final List<Check> checks = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<ContainerEvent> early = new ArrayList<>();

    private Phase phase = Phase.LOOKING;
    private String containerId;
    private ContainerState state;
    private String health;
    private long healthEvents;
    private Instant startedAt;
    private int baseRestarts;
    private Instant t0;
    private Instant deadline;
    private String http = "no probe yet";
    private boolean httpOk;
    private int windowHttpFailures;
    private Duration timeToHealthy;
    private Instant nextProgress;
    private ScheduledFuture<?> timeoutTimer;
    private ScheduledFuture<?> windowTimer;
    private ScheduledFuture<?> inspectTimer;

    private volatile Instant containerStartedAt;
    private volatile Instant healthyAt;
    private volatile Instant windowPassedAt;

    Watch(Watcher watcher, Service service, GateOptions options, Instant since, Integer baseRestarts) {
        this.watcher = watcher;
        this.service = service;
        this.options = options;
        this.since = since;
        this.givenBaseRestarts = baseRestarts;
    }

    public Service service() {
        return service;
    }

    public GateOptions options() {
        return options;
    }

    /** Healthy (promoted: the next service may go), or the failure that came first. */
    public CompletableFuture<ServiceHealth> promoted() {
        return promoted;
    }

    /** The final result: window held and the checks after it passed, or the failure. */
    public CompletableFuture<ServiceHealth> verdict() {
        return verdict;
    }

    /** When the watched container's current run started, once known. */
    public Instant containerStartedAt() {
        return containerStartedAt;
    }

    public Instant healthyAt() {
        return healthyAt;
    }

    public Instant windowPassedAt() {
        return windowPassedAt;
    }

    /** Stops watching (the service is being rolled back); the verdict completes as cancelled. */
    public void cancel() {
        watcher.onClock(() -> {
            if (phase != Phase.DONE) {
                done();
                verdict.cancel(false);
                promoted.cancel(false);
            }
        });
    }

    // ---- everything below runs on the watcher's clock thread ----

    void begin() {
        watcher.read(() -> watcher.engine().serviceContainer(watcher.project(), service.name()), guard(this::found), this::broken);
    }

    private void found(Optional<ContainerState> c) {
        if (phase != Phase.LOOKING) {
            return;
        }
        if (c.isEmpty()) {
            fail(Outcome.UNHEALTHY, new Check("running", false, "a container for the service", "none (is it in the compose project?)"), false);
            return;
        }
        state = c.get();
        containerId = state.id();
        health = state.health();
        startedAt = parse(state.startedAt());
        containerStartedAt = startedAt;
        t0 = startedAt != null && startedAt.isAfter(since) ? startedAt : since;
        deadline = t0.plus(options.timeoutFor(service));
        baseRestarts = givenBaseRestarts != null ? givenBaseRestarts : state.restartCount();
        nextProgress = watchStart.plus(options.progressEvery());
        phase = Phase.WAITING;
        if (!judgeState(state)) {
            return;
        }
        for (ContainerEvent e : early) {
            onEvent(e);
        }
        early.clear();
        if (phase == Phase.DONE) {
            return;
        }
        long toDeadline = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
        timeoutTimer = watcher.schedule(guard(this::evaluate), toDeadline);
        inspectTimer = watcher.every(guard(this::inspect), Watcher.INSPECT_EVERY.toMillis());
        probe();
    }

    void deliver(ContainerEvent e) {
        guard(() -> onEvent(e)).run();
    }

    private void onEvent(ContainerEvent e) {
        if (phase == Phase.LOOKING) {
            early.add(e);
            return;
        }
        if (phase == Phase.DONE || !e.containerId().equals(containerId)) {
            return; // the old container of a recreate, or we are through
        }
        boolean stale = e.time() != null && startedAt != null && e.time().isBefore(startedAt);
        switch (e.action()) {
            case "die" -> {
                if (stale) {
                    inspect();
                } else {
                    fail(Outcome.UNHEALTHY, new Check("running", false, "running",
                            inWindow("exited (exit code " + (e.exitCode() == null ? "?" : e.exitCode()) + ")")), true);
                }
            }
            case "restart" -> {
                if (!stale) {
                    fail(Outcome.UNHEALTHY, new Check("restarts", false, "no restart", inWindow("restarted")), true);
                }
            }
            case "destroy" -> fail(Outcome.UNHEALTHY, new Check("running", false, "container " + shortId(containerId), inWindow("it was removed")), false);
            case "health_status" -> {
                if (!stale && e.health() != null) {
                    health = e.health();
                    healthEvents++;
                    evaluate();
                }
            }
            case "start" -> inspect();
            default -> {
                // kill, stop, create, oom...: the die or start that follows says what happened
            }
        }
    }

    private void inspect() {
        look(c -> {
            state = c;
            evaluate();
        });
    }

    /**
     * One look at the container off the clock thread: gone, exited or restarted ends the watch;
     * otherwise {@code running} gets what was seen.
     */
    private void look(java.util.function.Consumer<ContainerState> running) {
        if (phase == Phase.DONE || containerId == null) {
            return;
        }
        long seq = healthEvents;
        watcher.read(() -> watcher.engine().container(containerId), guard(c -> {
            if (phase == Phase.DONE || phase == Phase.LOOKING) {
                return;
            }
            if (c.isEmpty()) {
                fail(Outcome.UNHEALTHY, new Check("running", false, "container " + shortId(containerId), inWindow("it was removed")), false);
                return;
            }
            if (seq == healthEvents) {
                health = c.get().health(); // an event newer than this look wins
            }
            if (judgeState(c.get())) {
                running.accept(c.get());
            }
        }), this::broken);
    }

    /** Exit and restart end the watch at once; false when they did. */
    private boolean judgeState(ContainerState s) {
        Instant started = parse(s.startedAt());
        boolean restartedSince = startedAt != null && started != null && started.isAfter(startedAt);
        if (s.restartCount() > baseRestarts || "restarting".equals(s.status()) || restartedSince) {
            fail(Outcome.UNHEALTHY, new Check("restarts", false, "no restart",
                    inWindow(("restarting".equals(s.status()) ? "restarting" : "restarted") + " (restart count "
                            + baseRestarts + " -> " + s.restartCount() + ", last exit code " + s.exitCode() + ")")), true);
            return false;
        }
        if (!s.running()) {
            fail(Outcome.UNHEALTHY, new Check("running", false, "running", inWindow(s.describe())), true);
            return false;
        }
        return true;
    }

    private void probe() {
        if (phase != Phase.WAITING && phase != Phase.WINDOW) {
            return;
        }
        watcher.probe().get(service.health().uri()).whenComplete((answer, error) -> watcher.onClock(guard(() -> {
            if (phase != Phase.WAITING && phase != Phase.WINDOW) {
                return;
            }
            http = answer != null ? answer : String.valueOf(error);
            httpOk = HealthProbe.ok(http);
            evaluate();
            Duration next = phase == Phase.WINDOW ? GateOptions.WINDOW_POLL : options.pollInterval();
            watcher.schedule(guard(this::probe), next.toMillis());
        })));
    }

    private boolean dockerOk() {
        return health == null || "healthy".equals(health);
    }

    private void evaluate() {
        Instant now = Instant.now();
        if (phase == Phase.WAITING) {
            if (httpOk && dockerOk() && state.running()) {
                promote(now);
            } else if (!now.isBefore(deadline)) {
                Check failed = !httpOk ? new Check("http", false, "2xx from " + service.health().uri(), http)
                        : new Check("docker-health", false, "healthy", health);
                checks.add(new Check("running", true, "running", state.describe()));
                fail(Outcome.TIMED_OUT, failed, true);
            } else if (!now.isBefore(nextProgress)) {
                watcher.console().line("  %s: waiting %s of %s, %s", service.name(), Durations.format(Duration.between(t0, now)),
                        Durations.format(options.timeoutFor(service)), lastSeen());
                nextProgress = now.plus(options.progressEvery());
            }
        } else if (phase == Phase.WINDOW) {
            if ("unhealthy".equals(health)) {
                fail(Outcome.UNHEALTHY, new Check("docker-health", false, "healthy", inWindow("unhealthy")), true);
            } else if (!httpOk && ++windowHttpFailures >= WINDOW_HTTP_FAILURES) {
                fail(Outcome.UNHEALTHY, new Check("http", false, "2xx from " + service.health().uri(), inWindow(http)), true);
            } else if (httpOk) {
                windowHttpFailures = 0;
            }
        }
    }

    private String lastSeen() {
        return (state == null ? "no container yet" : state.describe().replaceFirst(", health \\w+", "")
                + (health == null ? "" : ", health " + health)) + ", GET " + service.health().path() + " -> " + http;
    }

    private void promote(Instant now) {
        healthyAt = now;
        timeToHealthy = nonNegative(Duration.between(t0, now));
        cancel(timeoutTimer);
        checks.add(new Check("running", true, "running", state.describe()));
        checks.add(new Check("http", true, "2xx from " + service.health().uri(), http));
        if (health != null) {
            checks.add(new Check("docker-health", true, "healthy", health));
        }
        promoted.complete(result(Outcome.HEALTHY, "", List.of(), null));
        phase = Phase.WINDOW;
        windowTimer = watcher.schedule(guard(this::windowPassed), options.stabilityWindow().toMillis());
    }

    /**
     * The window's time is up: one look at the container confirms what the events said (a restart or
     * exit whose event was lost cannot pass), then the checks after the window.
     */
    private void windowPassed() {
        if (phase != Phase.WINDOW) {
            return;
        }
        Instant passed = Instant.now();
        look(c -> {
            if (phase == Phase.WINDOW) {
                checkAfterWindow(passed);
            }
        });
    }

    private void checkAfterWindow(Instant passed) {
        phase = Phase.CHECKING;
        windowPassedAt = passed;
        checks.add(new Check("restarts", true, "no restart", "none"));
        checks.add(new Check("stability", true, "healthy for " + Durations.format(options.stabilityWindow()), "held"));
        watcher.read(this::afterWindow, h -> {
            if (phase == Phase.CHECKING) {
                done();
                verdict.complete(h);
            }
        }, this::broken);
    }

    /** The checks after the window (log errors, latency); runs on the watcher's reading threads. */
    private ServiceHealth afterWindow() {
        List<Check> more = new ArrayList<>();
        if (options.logLines() > 0 && options.errorPattern() != null) {
            List<String> lines = watcher.engine().logs(containerId, options.logLines());
            for (String line : lines) {
                Matcher m = options.errorPattern().matcher(line);
                if (m.find()) {
                    more.add(new Check("log-errors", false,
                            "no line matching /" + options.errorPattern().pattern() + "/ in the last " + options.logLines() + " log lines",
                            "'" + line + "'"));
                    return failedAfterWindow(more, tail(lines));
                }
            }
            more.add(new Check("log-errors", true, "no /" + options.errorPattern().pattern() + "/ in the last " + options.logLines() + " lines", "none"));
        }
        Duration latency = null;
        if (options.baseline() != null || options.measureLatency()) {
            Optional<Duration> median;
            try (var latencyProbe = new LatencyProbe(LATENCY_SAMPLES)) {
                median = latencyProbe.median(service.health().uri());
            }
            if (median.isEmpty()) {
                more.add(new Check("latency", false, LATENCY_SAMPLES + " answers 2xx while measuring latency", "a request failed"));
                return failedAfterWindow(more, watcher.engine().logs(containerId, GateOptions.FAILURE_LOG_LINES));
            }
            latency = median.get();
            Optional<Duration> base = options.baseline() == null ? Optional.empty() : options.baseline().of(service.name());
            if (base.isPresent()) {
                Check c = LatencyProbe.judge(latency, base.get(), options.tolerancePercent());
                more.add(c);
                if (!c.passed()) {
                    return failedAfterWindow(more, List.of());
                }
            }
        }
        synchronized (checks) {
            checks.addAll(more);
        }
        return result(Outcome.HEALTHY, "", List.of(), latency);
    }

    private ServiceHealth failedAfterWindow(List<Check> more, List<String> logs) {
        synchronized (checks) {
            checks.addAll(more);
        }
        return result(Outcome.UNHEALTHY, more.get(more.size() - 1).message(), logs, null);
    }

    /** Ends the watch with a failure; the container's last lines are fetched off the clock thread. */
    private void fail(Outcome outcome, Check failed, boolean withLogs) {
        if (phase == Phase.DONE) {
            return;
        }
        done();
        checks.add(failed);
        String reason = (outcome == Outcome.TIMED_OUT ? "timed out after " + Durations.format(options.timeoutFor(service)) + ": " : "")
                + failed.message();
        String id = containerId;
        Supplier<List<String>> logs = () -> withLogs && id != null ? watcher.engine().logs(id, GateOptions.FAILURE_LOG_LINES) : List.of();
        watcher.read(logs, lines -> {
            ServiceHealth h = result(outcome, reason, lines, null);
            promoted.complete(h);
            verdict.complete(h);
        }, e -> {
            ServiceHealth h = result(outcome, reason, List.of(), null);
            promoted.complete(h);
            verdict.complete(h);
        });
    }

    /** A read that failed (the daemon went away): the caller gets the exception, as from any Docker call. */
    private void broken(Throwable e) {
        if (phase != Phase.DONE) {
            done();
        }
        promoted.completeExceptionally(e);
        verdict.completeExceptionally(e);
    }

    /** Runs a step of the state machine; a bug in it ends the watch instead of leaving its futures hanging. */
    private <T> java.util.function.Consumer<T> guard(java.util.function.Consumer<T> step) {
        return v -> {
            try {
                step.accept(v);
            } catch (RuntimeException e) {
                broken(e);
            }
        };
    }

    private Runnable guard(Runnable step) {
        return () -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                broken(e);
            }
        };
    }

    private void done() {
        phase = Phase.DONE;
        cancel(timeoutTimer);
        cancel(windowTimer);
        cancel(inspectTimer);
        watcher.forget(this);
    }

    /** Inside the window, say how far into it: a late failure reads differently from a slow start. */
    private String inWindow(String seen) {
        if (healthyAt == null) {
            return seen;
        }
        return seen + " " + Durations.format(Duration.between(healthyAt, Instant.now())) + " into the "
                + Durations.format(options.stabilityWindow()) + " stability window, after it was healthy";
    }

    private ServiceHealth result(Outcome outcome, String reason, List<String> logs, Duration latency) {
        List<Check> copy;
        synchronized (checks) {
            copy = List.copyOf(checks);
        }
        return new ServiceHealth(service.name(), outcome, reason, copy, timeToHealthy,
                Duration.between(watchStart, Instant.now()), logs, latency);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** Docker's RFC 3339 start time; null when it never started ({@code 0001-01-01...}) or is unreadable. */
    static Instant parse(String rfc3339) {
        if (rfc3339 == null || rfc3339.isBlank() || rfc3339.startsWith("0001-")) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(rfc3339).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static List<String> tail(List<String> lines) {
        int n = GateOptions.FAILURE_LOG_LINES;
        return lines.size() > n ? lines.subList(lines.size() - n, lines.size()) : lines;
    }

    static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

}
