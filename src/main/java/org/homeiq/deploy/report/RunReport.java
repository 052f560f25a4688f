package org.homeiq.deploy.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.homeiq.deploy.health.Check;
import org.homeiq.deploy.health.ServiceHealth;

/**
 * What a Docker command (rebuild-wave, health-gate, rollback) did, service by service: the
 * source of the JSON and JUnit files and of the summary printed last.
 */
public final class RunReport {
    private final String command;
    private final Instant started = Instant.now();
    private final long startNanos = System.nanoTime();
    private final List<Entry> entries = new ArrayList<>();
    private Duration wallTime;
    private int exitCode = -1;
    private String runId;

    public RunReport(String command) {
        this.command = command;
    }

    /** A service's line in the report; filled in as the command works on it. */
    public static final class Entry {
        private final String service;
        private final String wave;
        private String status = "pending";
        private boolean failed;
        private String reason = "";
        private final List<Check> checks = new ArrayList<>();
        private final List<String> actions = new ArrayList<>();
        private List<String> logs = List.of();
        private Duration timeToHealthy;
        private Duration elapsed;
        private Duration recovery;
        private final java.util.Map<String, Instant> timeline = new java.util.HashMap<>();

        Entry(String service, String wave) {
            this.service = service;
            this.wave = wave;
        }

        public synchronized Entry action(String what) {
            actions.add(what);
            return this;
        }

        /** Records a gate result; a failed gate makes the entry failed with the gate's reason. */
        public synchronized Entry health(ServiceHealth h) {
            checks.addAll(h.checks());
            if (h.timeToHealthy() != null && timeToHealthy == null) {
                timeToHealthy = h.timeToHealthy();
            }
            if (!h.healthy()) {
                failed = true;
                reason = h.reason();
                logs = h.lastLogs();
                status = h.outcome().label();
            } else if (!failed) {
                status = "healthy";
            }
            return this;
        }

        /** A step that is not a health probe (build, deploy, rollback) as a check of its own. */
        public synchronized Entry step(String name, boolean passed, String expected, String seen) {
            checks.add(new Check(name, passed, expected, seen));
            if (!passed) {
                failed = true;
                if (reason.isEmpty()) {
                    reason = name + ": expected " + expected + ", saw " + seen;
                }
            }
            return this;
        }

        public synchronized Entry status(String s) {
            status = s;
            return this;
        }

        public synchronized Entry failed(String why) {
            failed = true;
            if (reason.isEmpty()) {
                reason = why;
            }
            return this;
        }

        public synchronized Entry logs(List<String> lines) {
            logs = List.copyOf(lines);
            return this;
        }

        public synchronized Entry elapsed(Duration d) {
            elapsed = d;
            return this;
        }

        /**
         * A run event of this service at its time: the timeline keeps each kind's first occurrence
         * (build-started, built, build-failed, deploying, container-started, old-stopped, healthy, window-passed).
         */
        public synchronized Entry event(String name, Instant at) {
            if (at != null) {
                timeline.putIfAbsent(name, at);
            }
            return this;
        }

        /** When the event first happened, or null. */
        public synchronized Instant at(String name) {
            return timeline.get(name);
        }

        /** Time-to-healthy known at promotion, before the window's verdict. */
        public synchronized Entry timeToHealthy(Duration d) {
            if (timeToHealthy == null) {
                timeToHealthy = d;
            }
            return this;
        }

        /** From the moment the service was seen failing to its previous version healthy again. */
        public synchronized Entry recovery(Duration d) {
            recovery = d;
            return this;
        }

        public synchronized Duration recovery() {
            return recovery;
        }

        public String service() {
            return service;
        }

        public String wave() {
            return wave;
        }

        public synchronized String status() {
            return status;
        }

        public synchronized boolean isFailed() {
            return failed;
        }

        public synchronized String reason() {
            return reason;
        }

        public synchronized List<Check> checks() {
            return List.copyOf(checks);
        }

        public synchronized List<String> actions() {
            return List.copyOf(actions);
        }

        public synchronized List<String> logs() {
            return logs;
        }

        public synchronized Duration timeToHealthy() {
            return timeToHealthy;
        }

        public synchronized Duration elapsed() {
            return elapsed;
        }
    }

    public synchronized Entry add(String service, String wave) {
        Entry e = new Entry(service, wave);
        entries.add(e);
        return e;
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    public String command() {
        return command;
    }

    public Instant started() {
        return started;
    }

    public synchronized void runId(String id) {
        runId = id;
    }

    public synchronized String runId() {
        return runId;
    }

    public synchronized void finish(int code) {
        exitCode = code;
        wallTime = Duration.ofNanos(System.nanoTime() - startNanos);
    }

    public synchronized int exitCode() {
        return exitCode;
    }

    public synchronized Duration wallTime() {
        return wallTime == null ? Duration.ofNanos(System.nanoTime() - startNanos) : wallTime;
    }

    /** Milliseconds from the run's start to {@code at}, or null. */
    public Long offsetMs(Instant at) {
        return at == null ? null : Duration.between(started, at).toMillis();
    }

    /** Sum of every service's own time-to-healthy: the waiting a fixed-sleep script would guess at. */
    public synchronized Duration sumTimeToHealthy() {
        return entries.stream().map(Entry::timeToHealthy).filter(java.util.Objects::nonNull)
                .reduce(Duration.ZERO, Duration::plus);
    }

    public synchronized List<Entry> failures() {
        return entries.stream().filter(Entry::isFailed).toList();
    }
}
