package org.homeiq.deploy.wave;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.docker.Compose;
import org.homeiq.deploy.docker.ComposeFile;
import org.homeiq.deploy.docker.Docker;
import org.homeiq.deploy.docker.ImageInfo;
import org.homeiq.deploy.docker.ImageRef;
import org.homeiq.deploy.docker.ProcessResult;
import org.homeiq.deploy.health.HealthGate;
import org.homeiq.deploy.health.ServiceHealth;
import org.homeiq.deploy.model.Durations;
import org.homeiq.deploy.model.Service;
import org.homeiq.deploy.model.Wave;
import org.homeiq.deploy.model.WaveMode;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.report.RunReport;
import org.homeiq.deploy.rollback.LegacyServiceRollback;

/**
 * Rebuilds and redeploys one wave: for each service, journal and restore point first, then
 * {@code build}, {@code up -d --no-deps}, and the health gate; services that are only restarted
 * (official images) are restarted and gated. Sequential waves finish each service before the
 * next; parallel waves run at most {@code maxParallel} services at once. A failure is handled by
 * the {@link FailurePolicy}.
 */
public final class WaveRunner {
    /**
     * @param noCache build with {@code --no-cache}
     * @param onFailure what to do with a failed service
     * @param maxParallel services in flight at once in a parallel wave
     * @param label restore-point tag
     * @param mode the wave's mode, or null for the plan's
     */
    public record Settings(boolean noCache, FailurePolicy onFailure, int maxParallel, String label, WaveMode mode) {
    }

    private enum Result { OK, FAILED }

    private final Docker docker;
    private final Compose compose;
    private final ComposeFile composeFile;
    private final Console console;
    private final Journal journal;
    private final RunReport report;
    private final Settings settings;
    private final LegacyServiceRollback rollback;

    public WaveRunner(Docker docker, Compose compose, ComposeFile composeFile, Console console, Journal journal,
            RunReport report, Settings settings) {
        this.docker = docker;
        this.compose = compose;
        this.composeFile = composeFile;
        this.console = console;
        this.journal = journal;
        this.report = report;
        this.settings = settings;
        this.rollback = new LegacyServiceRollback(docker, compose, console);
    }

    /** Runs the wave; true when every service ended healthy. */
    public boolean run(Wave wave, List<Service> services, HealthGate gate) {
        WaveMode mode = settings.mode() != null ? settings.mode() : wave.mode();
        console.line("");
        console.line("== wave %s: %s (%s%s, %d service%s, %s) ==", wave.id(), wave.title(), mode.label(),
                mode == WaveMode.PARALLEL ? ", at most " + settings.maxParallel() + " at a time" : "",
                services.size(), services.size() == 1 ? "" : "s", gate.options().describe());
        var entries = new ArrayList<RunReport.Entry>();
        for (Service s : services) {
            entries.add(report.add(s.name(), wave.id()));
        }
        AtomicBoolean stop = new AtomicBoolean(false);
        AtomicBoolean anyFailed = new AtomicBoolean(false);
        if (mode == WaveMode.SEQUENTIAL || services.size() == 1 || settings.maxParallel() <= 1) {
            for (int i = 0; i < services.size(); i++) {
                step(wave, services.get(i), entries.get(i), gate, stop, anyFailed);
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(settings.maxParallel(), services.size()), r -> {
                Thread t = new Thread(r, "wave-" + wave.id());
                t.setDaemon(true);
                return t;
            });
            try {
                var futures = new ArrayList<Future<?>>();
                for (int i = 0; i < services.size(); i++) {
                    Service s = services.get(i);
                    RunReport.Entry e = entries.get(i);
                    futures.add(pool.submit(() -> step(wave, s, e, gate, stop, anyFailed)));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during wave " + wave.id(), e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        return !anyFailed.get();
    }

    private void step(Wave wave, Service s, RunReport.Entry entry, HealthGate gate, AtomicBoolean stop, AtomicBoolean anyFailed) {
        if (stop.get()) {
            entry.status("skipped").failed("not started: an earlier service of wave " + wave.id() + " failed")
                    .action("not touched");
            console.line("  %s: skipped (an earlier service failed)", s.name());
            return;
        }
        long t0 = System.nanoTime();
        Result r = s.rebuilt() ? rebuild(wave, s, entry, gate) : restart(wave, s, entry, gate);
        entry.elapsed(Duration.ofNanos(System.nanoTime() - t0));
        if (r == Result.FAILED) {
            anyFailed.set(true);
            if (settings.onFailure() != FailurePolicy.CONTINUE) {
                stop.set(true);
            }
        }
    }

    private Result restart(Wave wave, Service s, RunReport.Entry entry, HealthGate gate) {
        String ref = ServiceImage.reference(docker, compose, composeFile, s.name());
        String oldId = docker.image(ref).map(ImageInfo::id).orElse(null);
        journal.touched(new Journal.Touch(s.name(), wave.id(), "restart", ref, oldId, null, gate.options().name()));
        console.line("  %s: restarting (official image %s, not rebuilt)", s.name(), ref);
        compose.restart(List.of(s.name()));
        entry.action("restarted");
        ServiceHealth h = gate.check(s);
        entry.health(h);
        journal.event(s.name(), h.healthy() ? "healthy" : "failed");
        report(s, h);
        if (!h.healthy()) {
            entry.action("left running: an official image has no restore point to go back to");
            return Result.FAILED;
        }
        return Result.OK;
    }

    private Result rebuild(Wave wave, Service s, RunReport.Entry entry, HealthGate gate) {
        String ref = ServiceImage.reference(docker, compose, composeFile, s.name());
        Optional<ImageInfo> old = docker.image(ref);
        String restore = ImageRef.parse(ref).withTag(settings.label()).toString();
        journal.touched(new Journal.Touch(s.name(), wave.id(), "rebuild", ref, old.map(ImageInfo::id).orElse(null),
                old.isPresent() ? restore : null, gate.options().name()));
        if (old.isPresent()) {
            docker.tag(old.get().id(), restore);
            entry.action("restore point " + restore);
        } else {
            entry.action("no previous image: nothing to roll back to");
        }
        console.line("  %s: building%s (restore point %s)", s.name(), settings.noCache() ? " --no-cache" : "",
                old.isPresent() ? restore : "none: first build");
        ProcessResult build = compose.build(List.of(s.name()), settings.noCache());
        if (!build.ok()) {
            List<String> tail = tail(build.stdout() + "\n" + build.stderr(), 20);
            entry.step("build", false, "the image builds", (build.timedOut() ? "no result in time" : "exit code " + build.exitCode())
                    + ": " + (tail.isEmpty() ? "" : tail.get(tail.size() - 1)))
                    .status("build failed").logs(tail)
                    .action("build failed: the running container was not touched (still on its previous image)");
            journal.event(s.name(), "build-failed");
            console.line("  FAIL %s: build failed; the running container was not touched", s.name());
            return Result.FAILED;
        }
        entry.step("build", true, "the image builds", "built").action("built");
        journal.event(s.name(), "built");
        try {
            compose.up(List.of(s.name()), false);
        } catch (EnvironmentException e) {
            entry.step("deploy", false, "up -d --no-deps succeeds", e.getMessage());
            return failed(s, entry, ref, old, gate, System.nanoTime());
        }
        entry.action("deployed");
        journal.event(s.name(), "deployed");
        ServiceHealth h = gate.check(s);
        entry.health(h);
        report(s, h);
        if (h.healthy()) {
            journal.event(s.name(), "healthy");
            return Result.OK;
        }
        journal.event(s.name(), "failed");
        return failed(s, entry, ref, old, gate, System.nanoTime());
    }

    private Result failed(Service s, RunReport.Entry entry, String ref, Optional<ImageInfo> old, HealthGate gate, long failedAt) {
        switch (settings.onFailure()) {
            case STOP -> entry.action("left on the new image (--on-failure stop); wave stopped");
            case CONTINUE -> entry.action("left on the new image (--on-failure continue)");
            case ROLLBACK -> {
                if (old.isEmpty()) {
                    entry.action("could not roll back: there was no previous image");
                    break;
                }
                console.line("  %s: rolling back to %s", s.name(), ImageRef.parse(ref).withTag(settings.label()));
                for (String a : rollback.restore(s.name(), ref, old.get().id())) {
                    entry.action(a);
                }
                long gateStart = System.nanoTime();
                ServiceHealth again = gate.check(s);
                if (again.healthy()) {
                    // Recovery: failure seen -> previous image answering healthy; the gate then still holds its window.
                    Duration recovery = Duration.ofNanos(gateStart - failedAt).plus(again.timeToHealthy());
                    Duration confirmed = Duration.ofNanos(System.nanoTime() - failedAt);
                    entry.status("rolled back").recovery(recovery)
                            .action("rolled back: previous image healthy again " + Durations.format(recovery)
                                    + " after the failure (gate passed after " + Durations.format(confirmed) + ")");
                    journal.event(s.name(), "rolled-back");
                    console.line("  %s: rolled back, previous image healthy again %s after the failure (gate passed after %s)",
                            s.name(), Durations.format(recovery), Durations.format(confirmed));
                } else {
                    entry.status("rollback unhealthy").action("rolled back, but the previous image is not healthy either: " + again.reason());
                    journal.event(s.name(), "rollback-failed");
                    console.line("  FAIL %s: rolled back, but the previous image is not healthy either: %s", s.name(), again.reason());
                }
            }
            default -> throw new IllegalStateException();
        }
        return Result.FAILED;
    }

    private void report(Service s, ServiceHealth h) {
        console.line(h.healthy()
                ? "  ok   " + s.name() + ": healthy after " + Durations.format(h.timeToHealthy())
                : "  FAIL " + s.name() + ": " + h.reason());
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
}
