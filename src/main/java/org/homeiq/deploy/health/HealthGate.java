package org.homeiq.deploy.health;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import org.homeiq.deploy.docker.Compose;
import org.homeiq.deploy.docker.ContainerState;
import org.homeiq.deploy.docker.Docker;
import org.homeiq.deploy.model.Durations;
import org.homeiq.deploy.model.Service;
import org.homeiq.deploy.report.Console;

/**
 * Waits until services are healthy, probing each one on its own thread: HTTP health endpoint
 * (2xx), running state, Docker health status when the container has a HEALTHCHECK, restart count.
 * A service passes when every probe passes and keeps passing for the stability window with no
 * restart, and (optionally) its last log lines hold no error line. It fails at once when its
 * container exits or restarts, and times out after its inventory wait (or the override).
 */
public final class HealthGate {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** Requests per latency measurement: the median of these is compared with the baseline. */
    static final int LATENCY_SAMPLES = 9;
    /** Longest time between two looks at the container (restart count, state, Docker health). */
    static final Duration INSPECT_EVERY = Duration.ofMillis(500);

    private final Docker docker;
    private final Compose compose;
    private final Console console;
    private final GateOptions options;

    public HealthGate(Docker docker, Compose compose, Console console, GateOptions options) {
        this.docker = docker;
        this.compose = compose;
        this.console = console;
        this.options = options;
    }

    public GateOptions options() {
        return options;
    }

    /** Gates all services at once; results in the order given. */
    public List<ServiceHealth> check(List<Service> services) {
        if (services.size() == 1) {
            return List.of(check(services.get(0)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(services.size(), 16), r -> {
            Thread t = new Thread(r, "health-gate");
            t.setDaemon(true);
            return t;
        });
        try {
            var futures = new ArrayList<Future<ServiceHealth>>();
            for (Service s : services) {
                futures.add(pool.submit(() -> check(s)));
            }
            var out = new ArrayList<ServiceHealth>();
            for (Future<ServiceHealth> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while gating", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Gates one service: blocks until it is healthy, unhealthy or timed out. */
    public ServiceHealth check(Service service) {
        return new Watch(service).run();
    }

    /** One service's gate: the probe loop and what it last saw. */
    private final class Watch {
        private final Service service;
        private final long start = System.nanoTime();
        private final Duration timeout;
        private final List<Check> checks = new ArrayList<>();
        private String lastSeen = "no probe yet";

        Watch(Service service) {
            this.service = service;
            this.timeout = options.timeout() != null ? options.timeout() : service.maxWait();
        }

        ServiceHealth run() {
            Optional<String> id = compose.containerId(service.name());
            if (id.isEmpty()) {
                return fail(Outcome.UNHEALTHY, null, new Check("running", false, "a container for the service", "none (is it in the compose project?)"), List.of());
            }
            String container = id.get();
            Optional<ContainerState> first = docker.container(container);
            if (first.isEmpty()) {
                return fail(Outcome.UNHEALTHY, null, new Check("running", false, "container " + shortId(container), "it was removed"), List.of());
            }
            int baseRestarts = first.get().restartCount();
            ContainerState s = first.get();
            long inspectedAt = System.nanoTime();
            boolean lastHttpOk = false;
            Long healthySince = null;
            Duration timeToHealthy = null;
            long nextProgress = start + options.progressEvery().toNanos();
            while (true) {
                long now = System.nanoTime();
                String http = probeHttp();
                boolean httpOk = http.startsWith("HTTP 2");
                // HTTP is cheap, docker inspect is a process: look at the container every INSPECT_EVERY,
                // and at once when HTTP changes its mind or the stability window is about to pass.
                boolean windowDue = healthySince != null && now - healthySince >= options.stabilityWindow().toNanos();
                if (now - inspectedAt >= INSPECT_EVERY.toNanos() || httpOk != lastHttpOk || windowDue) {
                    Optional<ContainerState> st = docker.container(container);
                    inspectedAt = System.nanoTime();
                    if (st.isEmpty()) {
                        return fail(Outcome.UNHEALTHY, timeToHealthy, new Check("running", false, "container " + shortId(container), "it was removed"), logs(container));
                    }
                    s = st.get();
                }
                lastHttpOk = httpOk;
                if (s.restartCount() > baseRestarts || "restarting".equals(s.status())) {
                    return fail(Outcome.UNHEALTHY, timeToHealthy, new Check("restarts", false,
                            "no restart", ("restarting".equals(s.status()) ? "restarting" : "restarted") + " (restart count "
                                    + baseRestarts + " -> " + s.restartCount() + ", last exit code " + s.exitCode() + ")"),
                            logs(container));
                }
                if (!s.running()) {
                    return fail(Outcome.UNHEALTHY, timeToHealthy, new Check("running", false, "running", s.describe()), logs(container));
                }
                if ("unhealthy".equals(s.health())) {
                    return fail(Outcome.UNHEALTHY, timeToHealthy, new Check("docker-health", false, "healthy", "unhealthy"), logs(container));
                }
                boolean dockerOk = !s.hasHealthcheck() || "healthy".equals(s.health());
                lastSeen = s.describe() + ", GET " + service.health().path() + " -> " + http;
                if (httpOk && dockerOk) {
                    if (healthySince == null) {
                        healthySince = now;
                        timeToHealthy = Duration.ofNanos(now - start);
                    }
                    if (now - healthySince >= options.stabilityWindow().toNanos()) {
                        return passed(container, s, http, timeToHealthy);
                    }
                    lastSeen += ", holding " + Durations.format(Duration.ofNanos(now - healthySince)) + " of the "
                            + Durations.format(options.stabilityWindow()) + " stability window";
                } else {
                    // A flap resets the window: it must hold without interruption.
                    healthySince = null;
                }
                if (now - start >= timeout.toNanos()) {
                    Check failed = !httpOk ? new Check("http", false, "2xx from " + service.health().uri(), http)
                            : !dockerOk ? new Check("docker-health", false, "healthy", s.health())
                            : new Check("stability", false, "healthy for " + Durations.format(options.stabilityWindow()), "not yet when the timeout came");
                    checks.add(new Check("running", true, "running", s.describe()));
                    return fail(Outcome.TIMED_OUT, timeToHealthy, failed, logs(container));
                }
                if (now >= nextProgress) {
                    console.line("  %s: waiting %s of %s, %s", service.name(), Durations.format(Duration.ofNanos(now - start)),
                            Durations.format(timeout), lastSeen);
                    nextProgress = now + options.progressEvery().toNanos();
                }
                sleep(options.pollInterval());
            }
        }

        private ServiceHealth passed(String container, ContainerState s, String http, Duration timeToHealthy) {
            checks.add(new Check("running", true, "running", s.describe()));
            checks.add(new Check("http", true, "2xx from " + service.health().uri(), http));
            if (s.hasHealthcheck()) {
                checks.add(new Check("docker-health", true, "healthy", s.health()));
            }
            checks.add(new Check("restarts", true, "no restart", "none"));
            checks.add(new Check("stability", true, "healthy for " + Durations.format(options.stabilityWindow()), "held"));
            if (options.logLines() > 0 && options.errorPattern() != null) {
                List<String> lines = docker.logs(container, options.logLines());
                for (String line : lines) {
                    Matcher m = options.errorPattern().matcher(line);
                    if (m.find()) {
                        return fail(Outcome.UNHEALTHY, timeToHealthy, new Check("log-errors", false,
                                "no line matching /" + options.errorPattern().pattern() + "/ in the last " + options.logLines() + " log lines",
                                "'" + line + "'"), tail(lines));
                    }
                }
                checks.add(new Check("log-errors", true, "no /" + options.errorPattern().pattern() + "/ in the last " + options.logLines() + " lines", "none"));
            }
            Duration latency = null;
            if (options.baseline() != null || options.measureLatency()) {
                Optional<Duration> median = new LatencyProbe(LATENCY_SAMPLES).median(service.health().uri());
                if (median.isEmpty()) {
                    return fail(Outcome.UNHEALTHY, timeToHealthy, new Check("latency", false,
                            LATENCY_SAMPLES + " answers 2xx while measuring latency", "a request failed"), logs(container));
                }
                latency = median.get();
                Optional<Duration> base = options.baseline() == null ? Optional.empty() : options.baseline().of(service.name());
                if (base.isPresent()) {
                    Check c = LatencyProbe.judge(latency, base.get(), options.tolerancePercent());
                    if (!c.passed()) {
                        return fail(Outcome.UNHEALTHY, timeToHealthy, c, List.of());
                    }
                    checks.add(c);
                }
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            return new ServiceHealth(service.name(), Outcome.HEALTHY, "", checks, timeToHealthy, elapsed, List.of(), latency);
        }

        private ServiceHealth fail(Outcome outcome, Duration timeToHealthy, Check failed, List<String> logs) {
            checks.add(failed);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            String reason = (outcome == Outcome.TIMED_OUT ? "timed out after " + Durations.format(timeout) + ": " : "")
                    + failed.message();
            return new ServiceHealth(service.name(), outcome, reason, checks, timeToHealthy, elapsed, logs, null);
        }

        private List<String> logs(String container) {
            return docker.logs(container, GateOptions.FAILURE_LOG_LINES);
        }

        private String probeHttp() {
            var req = HttpRequest.newBuilder(service.health().uri()).timeout(Duration.ofSeconds(2)).GET().build();
            try {
                HttpResponse<Void> r = HTTP.send(req, HttpResponse.BodyHandlers.discarding());
                return "HTTP " + r.statusCode();
            } catch (HttpTimeoutException e) {
                return "no answer within 2s";
            } catch (java.net.ConnectException e) {
                return "connection refused";
            } catch (IOException e) {
                return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
    }

    private static List<String> tail(List<String> lines) {
        int n = GateOptions.FAILURE_LOG_LINES;
        return lines.size() > n ? lines.subList(lines.size() - n, lines.size()) : lines;
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while gating", e);
        }
    }
}
