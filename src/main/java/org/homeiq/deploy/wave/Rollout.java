package org.homeiq.deploy.wave;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.docker.ComposeFile;
import org.homeiq.deploy.docker.ComposeProject;
import org.homeiq.deploy.docker.ContainerState;
import org.homeiq.deploy.docker.DockerEngine;
import org.homeiq.deploy.docker.ImageInfo;
import org.homeiq.deploy.docker.ImageRef;
import org.homeiq.deploy.docker.ProcessResult;
import org.homeiq.deploy.health.GateOptions;
import org.homeiq.deploy.health.ServiceHealth;
import org.homeiq.deploy.health.Watch;
import org.homeiq.deploy.health.Watcher;
import org.homeiq.deploy.model.Durations;
import org.homeiq.deploy.model.Service;
import org.homeiq.deploy.model.Wave;
import org.homeiq.deploy.model.WaveMode;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.report.RunReport;
import org.homeiq.deploy.rollback.ServiceRollback;

/**
 * Rebuilds and redeploys the waves of one run at the speed of its critical path.
 *
 * <ul>
 * <li>Images are built ahead of their deploy slot ({@code maxBuilds} at once, in deploy order):
 *     a build never touches a running container. Restore point and journal come first.</li>
 * <li>A service is <em>promoted</em> as soon as it is healthy; the next one of a sequential wave
 *     starts then, while its stability window runs on in the background. A parallel wave deploys
 *     every service as soon as its image is built, or at most {@code maxParallel} at a time (up to
 *     promotion). The next wave starts when every
 *     service of this one is promoted, so a day's or phase's windows are one observation; the run
 *     ends when every window has passed.</li>
 * <li>A failure (build, up, gate, or late, inside a window) is handled by the {@link FailurePolicy}:
 *     with rollback, the service and every service deployed after it in this run that depends on it
 *     go back to their restore points. Services that depend on a failed one are never deployed.
 *     A failed {@code up} always puts the previous container back, and says DOWN when even that fails.</li>
 * </ul>
 *
 * All decisions are made on the calling thread; deploys (compose up, waiting for promotion) run on
 * threads of their own (one per deploy in flight), builds on a pool of {@code maxBuilds}.
 */
public final class Rollout {
    /**
     * @param noCache build with {@code --no-cache}
     * @param onFailure what to do with a failed service
     * @param maxParallel deploys in flight at once in a parallel wave; null: no bound
     * @param maxBuilds builds at once
     * @param label restore-point tag
     */
    public record Settings(boolean noCache, FailurePolicy onFailure, Integer maxParallel, int maxBuilds, String label) {
    }

    /** One wave as this run deploys it: its mode (after any override), services and gate. */
    public record Step(Wave wave, WaveMode mode, List<Service> services, GateOptions gate) {
    }

    private enum State { PENDING, DEPLOYING, PROMOTED, CONFIRMED, FAILED, SKIPPED, ROLLED_BACK }

    private enum Outcome { PROMOTED, GATE_FAILED, UP_FAILED, BUILD_FAILED, NOT_BUILT }

    /** One service's place in the run. Fields are set by one thread at a time, handed over through futures. */
    private static final class Slot {
        final int order;
        final Step step;
        final Service service;
        final RunReport.Entry entry;
        volatile String ref;
        volatile Optional<ImageInfo> old = Optional.empty();
        CompletableFuture<ProcessResult> build;
        volatile boolean buildFailed;
        volatile Watch watch;
        volatile String upError;
        volatile ServiceHealth gateFailure;
        volatile Instant deployStart;
        CompletableFuture<Outcome> deploy;
        State state = State.PENDING;
        boolean doomed;
        String doomReason;

        Slot(int order, Step step, Service service, RunReport.Entry entry) {
            this.order = order;
            this.step = step;
            this.service = service;
            this.entry = entry;
        }

        String name() {
            return service.name();
        }
    }

    private final DockerEngine engine;
    private final ComposeProject compose;
    private final ComposeFile composeFile;
    private final Watcher watcher;
    private final RunLog log;
    private final Console console;
    private final Journal journal;
    private final RunReport report;
    private final Settings settings;
    private final ServiceRollback rollback;

    private final List<Slot> slots = new ArrayList<>();
    private final Map<String, Slot> byName = new LinkedHashMap<>();
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private volatile CompletableFuture<Void> signal = new CompletableFuture<>();
    private volatile boolean stopped;
    private volatile String stopReason;
    private boolean anyFailed;
    private int openWindows;
    private final Set<String> wavesDone = new HashSet<>();

    public Rollout(DockerEngine engine, ComposeProject compose, ComposeFile composeFile, Watcher watcher, Console console,
            Journal journal, RunReport report, Settings settings) {
        this.engine = engine;
        this.compose = compose;
        this.composeFile = composeFile;
        this.watcher = watcher;
        this.console = console;
        this.journal = journal;
        this.log = new RunLog(journal, console);
        this.report = report;
        this.settings = settings;
        this.rollback = new ServiceRollback(engine, compose, console);
    }

    /** Runs every step; true when every service ended healthy with its window passed. */
    public boolean run(List<Step> steps) {
        for (Step step : steps) {
            for (Service s : step.services()) {
                Slot slot = new Slot(slots.size(), step, s, report.add(s.name(), step.wave().id()));
                slots.add(slot);
                byName.putIfAbsent(s.name(), slot);
            }
        }
        ExecutorService builds = Executors.newFixedThreadPool(settings.maxBuilds(), daemon("homeiq-build"));
        ExecutorService deploys = Executors.newCachedThreadPool(daemon("homeiq-deploy"));
        try {
            if (!slots.isEmpty()) {
                watcher.warmUp(slots.get(0).service);
            }
            for (Slot s : slots) {
                if (s.service.rebuilt()) {
                    s.build = CompletableFuture.supplyAsync(() -> prepareAndBuild(s), builds);
                }
            }
            for (Step step : steps) {
                runWave(step, deploys);
            }
            while (true) {
                CompletableFuture<Void> wake = arm();
                drain();
                if (openWindows == 0) {
                    break;
                }
                wake.join();
            }
            builds.shutdown();
            awaitQuietly(builds);
            drain();
            for (Slot s : slots) {
                if (s.state == State.SKIPPED) {
                    unbuild(s);
                }
            }
        } finally {
            builds.shutdownNow();
            deploys.shutdownNow();
        }
        return !anyFailed;
    }

    // ---- builds, ahead of the deploys ----

    /** Restore point, journal, build: on a build thread. Null when the run stopped before its turn. */
    private ProcessResult prepareAndBuild(Slot s) {
        if (stopped || failedDependency(s) != null) {
            return null;
        }
        s.ref = ServiceImage.reference(engine, compose, composeFile, s.name());
        s.old = engine.image(s.ref);
        String restore = restorePoint(s);
        journal.touched(new Journal.Touch(s.name(), s.step.wave().id(), "rebuild", s.ref, s.old.map(ImageInfo::id).orElse(null),
                s.old.isPresent() ? restore : null, s.step.gate().name()));
        if (s.old.isPresent()) {
            engine.tag(s.old.get().id(), restore);
            s.entry.action("restore point " + restore);
        } else {
            s.entry.action("no previous image: nothing to roll back to");
        }
        log.event(s.entry, "build-started", "  " + s.name() + ": building" + (settings.noCache() ? " --no-cache" : "")
                + " (restore point " + (s.old.isPresent() ? restore : "none: first build") + ")");
        ProcessResult build = compose.build(List.of(s.name()), settings.noCache());
        if (build.ok()) {
            s.entry.step("build", true, "the image builds", "built").action("built");
            log.event(s.entry, "built", "  " + s.name() + ": built");
            return build;
        }
        s.buildFailed = true;
        List<String> tail = tail(build.stdout() + "\n" + build.stderr(), GateOptions.FAILURE_LOG_LINES);
        s.entry.step("build", false, "the image builds", (build.timedOut() ? "no result in time" : "exit code " + build.exitCode())
                + ": " + (tail.isEmpty() ? "" : tail.get(tail.size() - 1)))
                .status("build failed").logs(tail)
                .action("build failed: the running container was not touched (still on its previous image)");
        log.event(s.entry, "build-failed", "  FAIL " + s.name() + ": build failed; the running container was not touched");
        return build;
    }

    /** A skipped service whose image was built anyway: its tag goes back to the restore point, so nothing changed. */
    private void unbuild(Slot s) {
        if (s.build == null || !s.build.isDone() || s.build.isCompletedExceptionally()) {
            return;
        }
        ProcessResult b = s.build.join();
        if (b != null && b.ok() && s.old.isPresent()) {
            engine.tag(s.old.get().id(), s.ref);
            s.entry.action("built but not deployed: " + s.ref + " points at the restore point again");
        }
    }

    // ---- deploys, in order ----

    private void runWave(Step step, ExecutorService deploys) {
        int n = step.services().size();
        int bound = step.mode().inFlight(n, settings.maxParallel());
        console.line("");
        console.line("== wave " + step.wave().id() + ": " + step.wave().title() + " (" + step.mode().label()
                + (step.mode() == WaveMode.PARALLEL ? ", " + step.mode().inFlightLabel(n, settings.maxParallel()) : "")
                + ", " + n + " service" + (n == 1 ? "" : "s")
                + ", " + step.gate().describe() + ") ==");
        var queue = new ArrayDeque<Slot>();
        slots.stream().filter(s -> s.step == step).forEach(queue::add);
        var inflight = new ArrayList<Slot>();
        while (true) {
            CompletableFuture<Void> wake = arm();
            drain();
            while (inflight.size() < bound && !queue.isEmpty()) {
                Slot s = queue.poll();
                String why = skipReason(s);
                if (why != null) {
                    skip(s, why);
                    continue;
                }
                s.state = State.DEPLOYING;
                s.deploy = CompletableFuture.supplyAsync(() -> deploy(s), deploys);
                inflight.add(s);
            }
            if (inflight.isEmpty()) {
                return;
            }
            var waitOn = new ArrayList<CompletableFuture<?>>();
            inflight.forEach(s -> waitOn.add(s.deploy));
            waitOn.add(wake);
            CompletableFuture.anyOf(waitOn.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
            for (var it = inflight.iterator(); it.hasNext();) {
                Slot s = it.next();
                if (s.deploy.isDone()) {
                    it.remove();
                    settle(s, Watcher.join(s.deploy));
                }
            }
        }
    }

    /** Waits for the build, deploys, waits for promotion: on a deploy thread. */
    private Outcome deploy(Slot s) {
        if (s.service.rebuilt()) {
            ProcessResult b = Watcher.join(s.build);
            if (b == null) {
                return Outcome.NOT_BUILT;
            }
            if (!b.ok()) {
                return Outcome.BUILD_FAILED;
            }
        } else {
            s.ref = ServiceImage.reference(engine, compose, composeFile, s.name());
            s.old = engine.image(s.ref);
            journal.touched(new Journal.Touch(s.name(), s.step.wave().id(), "restart", s.ref, s.old.map(ImageInfo::id).orElse(null),
                    null, s.step.gate().name()));
        }
        Optional<ContainerState> before = engine.serviceContainer(compose.name(), s.name());
        s.deployStart = Instant.now();
        log.event(s.entry, "deploying", s.service.rebuilt() ? "  " + s.name() + ": deploying (up -d --no-deps)"
                : "  " + s.name() + ": restarting (official image " + s.ref + ", not rebuilt)");
        try {
            if (s.service.rebuilt()) {
                compose.up(List.of(s.name()));
            } else {
                compose.restart(List.of(s.name()));
            }
        } catch (EnvironmentException e) {
            s.upError = e.getMessage();
            return Outcome.UP_FAILED;
        }
        s.entry.action(s.service.rebuilt() ? "deployed" : "restarted");
        log.event(s.entry, "deployed", null);
        s.watch = watchAfter(s, before, s.deployStart, s.step.gate());
        ServiceHealth h = Watcher.join(s.watch.promoted());
        Instant started = s.watch.containerStartedAt();
        if (started != null && started.isAfter(s.deployStart)) {
            log.event(s.entry, "container-started", started, null);
        }
        before.flatMap(c -> watcher.stoppedAt(c.id())).filter(t -> !t.isBefore(s.deployStart))
                .ifPresent(t -> log.event(s.entry, "old-stopped", t, null));
        if (!h.healthy()) {
            s.gateFailure = h;
            return Outcome.GATE_FAILED;
        }
        s.entry.timeToHealthy(h.timeToHealthy());
        log.event(s.entry, "healthy", s.watch.healthyAt(), "  ok   " + s.name() + ": healthy after " + Durations.format(h.timeToHealthy())
                + (s.step.gate().stabilityWindow().isZero() ? "" : "; its " + Durations.format(s.step.gate().stabilityWindow())
                        + " stability window runs on while the next one deploys"));
        return Outcome.PROMOTED;
    }

    /**
     * Watches the service's container after a change: a new container is charged from its start with
     * no restart allowed; the same container (nothing changed, or only restarted) keeps its restart count.
     */
    private Watch watchAfter(Slot s, Optional<ContainerState> before, Instant since, GateOptions gate) {
        Optional<ContainerState> after = engine.serviceContainer(compose.name(), s.name());
        boolean same = before.isPresent() && after.isPresent() && before.get().id().equals(after.get().id());
        Integer base = same ? Integer.valueOf(before.get().restartCount()) : Integer.valueOf(0);
        return watcher.watch(s.service, gate, since, base);
    }

    /** What a finished deploy means for the run: on the calling thread. */
    private void settle(Slot s, Outcome outcome) {
        switch (outcome) {
            case PROMOTED -> {
                s.state = State.PROMOTED;
                Watch w = s.watch;
                openWindows++;
                w.verdict().whenComplete((h, e) -> post(() -> windowDone(s, w, h, e)));
                if (s.doomed) {
                    rollBackDependant(s, s.doomReason);
                }
            }
            case GATE_FAILED -> {
                s.entry.health(s.gateFailure).elapsed(since(s));
                log.event(s.entry, "failed", "  FAIL " + s.name() + ": " + s.gateFailure.reason());
                failure(s);
            }
            case BUILD_FAILED -> failure(s);
            case UP_FAILED -> {
                s.entry.step("deploy", false, "up -d --no-deps succeeds", s.upError).status("deploy failed");
                log.event(s.entry, "failed", "  FAIL " + s.name() + ": compose up failed: " + s.upError);
                putBack(s);
                failure(s);
            }
            case NOT_BUILT -> skip(s, stopReason == null ? "not started: the run stopped" : stopReason);
            default -> throw new IllegalStateException(outcome.name());
        }
    }

    /** A background window ended: on the calling thread, via the inbox. */
    private void windowDone(Slot s, Watch w, ServiceHealth h, Throwable e) {
        openWindows--;
        if (e != null) {
            if (e instanceof CancellationException || e.getCause() instanceof CancellationException) {
                return; // rolled back meanwhile
            }
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
        if (s.state != State.PROMOTED || s.watch != w) {
            return;
        }
        s.entry.health(h).elapsed(since(s));
        if (h.healthy()) {
            s.state = State.CONFIRMED;
            log.event(s.entry, "window-passed", w.windowPassedAt(), "  ok   " + s.name() + ": stability window of "
                    + Durations.format(s.step.gate().stabilityWindow()) + " passed");
            waveDone(s.step);
            return;
        }
        log.event(s.entry, "failed", "  FAIL " + s.name() + ": " + h.reason());
        failure(s);
    }

    private void waveDone(Step step) {
        if (slots.stream().filter(x -> x.step == step).allMatch(x -> x.state == State.CONFIRMED) && wavesDone.add(step.wave().id())) {
            console.line("== wave " + step.wave().id() + ": every stability window has passed ==");
        }
    }

    // ---- failures ----

    private void failure(Slot f) {
        anyFailed = true;
        f.state = State.FAILED;
        List<Slot> dependants = dependantsDeployedAfter(f);
        switch (settings.onFailure()) {
            case ROLLBACK -> {
                if (!f.buildFailed && f.upError == null) {
                    rollBackFailed(f);
                }
                String why = "it depends on " + f.name() + ", which failed";
                for (Slot d : dependants) {
                    rollBackDependant(d, why);
                }
            }
            case STOP -> {
                if (!f.buildFailed && f.upError == null) {
                    f.entry.action("left on the new image (--on-failure stop); run stopped");
                }
                dependants.forEach(d -> d.entry.action("left as it is (--on-failure stop), though it depends on " + f.name() + ", which failed"));
            }
            case CONTINUE -> {
                if (!f.buildFailed && f.upError == null) {
                    f.entry.action("left on the new image (--on-failure continue)");
                }
            }
            default -> throw new IllegalStateException();
        }
        if (settings.onFailure() != FailurePolicy.CONTINUE && !stopped) {
            stopped = true;
            stopReason = "not started: " + f.name() + " (wave " + f.step.wave().id() + ") failed";
            console.line("  run stopped (--on-failure " + settings.onFailure().label() + "): nothing after " + f.name() + " is deployed");
        }
    }

    /** Services deployed after {@code f} in this run that depend on it, directly or through each other. */
    private List<Slot> dependantsDeployedAfter(Slot f) {
        Set<String> chain = new HashSet<>(Set.of(f.name()));
        var out = new ArrayList<Slot>();
        for (Slot s : slots) {
            boolean deployed = s.state == State.DEPLOYING || s.state == State.PROMOTED || s.state == State.CONFIRMED;
            if (s.order > f.order && deployed && s.service.dependsOn().stream().anyMatch(chain::contains)) {
                out.add(s);
                chain.add(s.name());
            }
        }
        return out;
    }

    private void rollBackFailed(Slot f) {
        if (!f.service.rebuilt()) {
            f.entry.action("left running: an official image has no restore point to go back to");
            return;
        }
        if (f.old.isEmpty()) {
            f.entry.action("could not roll back: there was no previous image");
            return;
        }
        console.line("  " + f.name() + ": rolling back to " + restorePoint(f));
        restoreAndRecheck(f, Instant.now());
    }

    private void rollBackDependant(Slot d, String why) {
        if (d.state == State.DEPLOYING) {
            d.doomed = true; // rolled back as soon as its deploy settles
            d.doomReason = why;
            return;
        }
        if (d.watch != null) {
            d.watch.cancel();
        }
        d.state = State.ROLLED_BACK;
        anyFailed = true;
        d.entry.failed("rolled back: " + why);
        if (!d.service.rebuilt() || d.old.isEmpty()) {
            d.entry.status("left as it is").action(d.service.rebuilt() ? "could not roll back: there was no previous image"
                    : "left running: only restarted (official image), nothing to roll back");
            return;
        }
        console.line("  " + d.name() + ": rolling back too: " + why);
        restoreAndRecheck(d, Instant.now());
    }

    /** Restore point back, redeploy, gate with the restore point's own time budget; its window runs on. */
    private void restoreAndRecheck(Slot s, Instant failedAt) {
        Optional<ContainerState> before = engine.serviceContainer(compose.name(), s.name());
        try {
            rollback.restore(s.name(), s.ref, s.old.get().id()).forEach(s.entry::action);
        } catch (EnvironmentException e) {
            down(s, "the rollback's up failed: " + e.getMessage());
            return;
        }
        recheck(s, before, failedAt, "rolled back", "rolled back: previous image healthy again", "rolled-back");
    }

    /** A failed up: the previous container (or the restore point) back, gated; DOWN when even that fails. */
    private void putBack(Slot s) {
        console.line("  " + s.name() + ": putting the previous container back");
        Optional<ContainerState> before = engine.serviceContainer(compose.name(), s.name());
        Instant failedAt = Instant.now();
        try {
            rollback.putBack(s.name(), s.ref, s.old.map(ImageInfo::id).orElse(null)).forEach(s.entry::action);
        } catch (EnvironmentException e) {
            down(s, "compose up failed, and putting the previous container back failed too: " + e.getMessage());
            return;
        }
        recheck(s, before, failedAt, "restored", "previous container back and healthy", "restored");
    }

    private void recheck(Slot s, Optional<ContainerState> before, Instant failedAt, String status, String what, String event) {
        GateOptions gate = s.step.gate().forRestorePoint(s.service);
        Watch w = watchAfter(s, before, Instant.now(), gate);
        ServiceHealth h = Watcher.join(w.promoted());
        if (!h.healthy()) {
            s.entry.status("rollback unhealthy").logs(h.lastLogs())
                    .action("put back, but the previous version is not healthy either: " + h.reason());
            log.event(s.entry, "rollback-failed", "  FAIL " + s.name() + ": put back, but the previous version is not healthy either: "
                    + h.reason());
            if (!runs(s)) {
                down(s, "the previous version does not run either: " + h.reason());
            }
            return;
        }
        Duration recovery = Duration.between(failedAt, w.healthyAt());
        s.entry.status(status).recovery(recovery).action(what + " " + Durations.format(recovery) + " after the failure");
        log.event(s.entry, event, "  " + s.name() + ": " + status + ", " + what + " " + Durations.format(recovery) + " after the failure");
        openWindows++;
        w.verdict().whenComplete((v, e) -> post(() -> recheckDone(s, v, e)));
    }

    private void recheckDone(Slot s, ServiceHealth h, Throwable e) {
        openWindows--;
        if (e != null) {
            if (e instanceof CancellationException || e.getCause() instanceof CancellationException) {
                return;
            }
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
        if (h.healthy()) {
            s.entry.action("the previous version held its " + Durations.format(s.step.gate().stabilityWindow()) + " stability window");
            return;
        }
        s.entry.status("rollback unhealthy").logs(h.lastLogs()).action("put back, but the previous version failed its window: " + h.reason());
        log.event(s.entry, "rollback-failed", "  FAIL " + s.name() + ": put back, but the previous version failed its window: " + h.reason());
    }

    private boolean runs(Slot s) {
        return engine.serviceContainer(compose.name(), s.name()).map(ContainerState::running).orElse(false);
    }

    /** Says plainly that a service is down: status, reason, the console's own line. */
    private void down(Slot s, String why) {
        s.entry.status("DOWN").failed(s.name() + " is DOWN: " + why).action("DOWN: " + why);
        log.event(s.entry, "down", "  DOWN " + s.name() + ": " + why + " -- the service is not running; put it back by hand "
                + "(rollback --journal " + journal.runId() + ")");
    }

    // ---- skipping ----

    private String skipReason(Slot s) {
        if (stopped) {
            return stopReason;
        }
        String dep = failedDependency(s);
        return dep == null ? null : "not started: it depends on " + dep + ", which " + (byName.get(dep).state == State.SKIPPED ? "was skipped" : "failed");
    }

    /** A dependency of {@code s} in this run that failed or was skipped, or null. */
    private String failedDependency(Slot s) {
        for (String d : s.service.dependsOn()) {
            Slot dep = byName.get(d);
            if (dep != null && dep.order < s.order && (dep.buildFailed || dep.state == State.FAILED || dep.state == State.SKIPPED
                    || dep.state == State.ROLLED_BACK)) {
                return d;
            }
        }
        return null;
    }

    private void skip(Slot s, String why) {
        s.state = State.SKIPPED;
        s.entry.status("skipped").failed(why).action("not deployed");
        log.event(s.entry, "skipped", "  " + s.name() + ": skipped (" + why + ")");
    }

    // ---- plumbing ----

    private String restorePoint(Slot s) {
        return ImageRef.parse(s.ref).withTag(settings.label()).toString();
    }

    /** The service's own time in the run: from its build (or deploy) to now. */
    private Duration since(Slot s) {
        Instant first = s.entry.at("build-started") != null ? s.entry.at("build-started") : s.deployStart;
        return first == null ? Duration.ZERO : Duration.between(first, Instant.now());
    }

    /** Something for the calling thread to do: a window's result. */
    private void post(Runnable r) {
        inbox.add(r);
        signal.complete(null);
    }

    /** A fresh wake-up, made before the inbox is drained, so nothing posted after the drain is missed. */
    private CompletableFuture<Void> arm() {
        signal = new CompletableFuture<>();
        return signal;
    }

    private void drain() {
        Runnable r;
        while ((r = inbox.poll()) != null) {
            r.run();
        }
    }

    private static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(1, TimeUnit.HOURS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> tail(String text, int n) {
        var lines = new ArrayList<String>();
        for (String l : text.split("\\R")) {
            if (!l.isBlank()) {
                lines.add(l);
            }
        }
        return lines.size() > n ? lines.subList(lines.size() - n, lines.size()) : lines;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
