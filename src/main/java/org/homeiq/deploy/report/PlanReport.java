package org.homeiq.deploy.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.homeiq.deploy.model.Deployment;
import org.homeiq.deploy.model.Durations;
import org.homeiq.deploy.model.GateSettings;
import org.homeiq.deploy.model.Service;
import org.homeiq.deploy.model.Stage;
import org.homeiq.deploy.model.Wave;
import org.homeiq.deploy.model.WaveMode;

/**
 * What a part of the plan will do, for people (the stage log, the approval dialog) and for
 * machines (the steps show approvers the JSON). The time budget is an upper bound in the engine's
 * model: each service must be healthy within its wait, the next one starts then (a parallel wave
 * deploys all at once, or keeps at most {@code maxParallel} in flight), and stability windows run on in the background, so a
 * day or phase ends one window after its last promotion, not one window per service. Images are
 * built ahead and not counted. The plan's own fixed sleeps are shown beside it.
 */
public final class PlanReport {
    private final Deployment deployment;
    private final List<Stage> stages;
    /** Null: no bound, as rebuild-wave's default. */
    private final Integer maxParallel;

    public PlanReport(Deployment deployment, List<Stage> stages) {
        this(deployment, stages, null);
    }

    public PlanReport(Deployment deployment, List<Stage> stages, Integer maxParallel) {
        this.deployment = deployment;
        this.stages = List.copyOf(stages);
        this.maxParallel = maxParallel;
    }

    /**
     * Until every service of the wave is healthy: sequential waits add up; a parallel wave fills its
     * slots (see {@link WaveMode#inFlight}) in order, each service taking its wait.
     */
    public Duration deployBudget(Wave wave) {
        var waits = deployment.inventory().getAll(wave.services()).stream().map(Service::maxWait).toList();
        if (wave.mode() == WaveMode.SEQUENTIAL) {
            return waits.stream().reduce(Duration.ZERO, Duration::plus);
        }
        var slots = new java.util.PriorityQueue<Duration>();
        for (int i = 0; i < wave.mode().inFlight(waits.size(), maxParallel); i++) {
            slots.add(Duration.ZERO);
        }
        Duration end = Duration.ZERO;
        for (Duration w : waits) {
            Duration done = slots.poll().plus(w);
            slots.add(done);
            end = done.compareTo(end) > 0 ? done : end;
        }
        return end;
    }

    /** One wave alone: healthy, then one window. */
    public Duration waveBudget(Wave wave) {
        return deployBudget(wave).plus(deployment.plan().gate(wave.gate()).stabilityWindow());
    }

    /** A stage: its waves' deploys one after another; it ends when the last window has passed. */
    public Duration stageBudget(Stage stage) {
        Duration start = Duration.ZERO;
        Duration end = Duration.ZERO;
        for (Wave w : stage.waves()) {
            Duration promoted = start.plus(deployBudget(w));
            Duration windows = promoted.plus(deployment.plan().gate(w.gate()).stabilityWindow());
            end = windows.compareTo(end) > 0 ? windows : end;
            start = promoted;
        }
        return end;
    }

    /** What the plan spends in fixed sleeps for the same wave (its per-service waits). */
    public Duration planSleeps(Wave wave) {
        var waits = deployment.inventory().getAll(wave.services()).stream().map(Service::maxWait).toList();
        return wave.mode() == WaveMode.SEQUENTIAL
                ? waits.stream().reduce(Duration.ZERO, Duration::plus)
                : waits.stream().max(Duration::compareTo).orElse(Duration.ZERO);
    }

    public List<String> text() {
        var lines = new ArrayList<String>();
        for (Stage stage : stages) {
            Duration stageSleeps = Duration.ZERO;
            lines.add(stage.title());
            for (Wave wave : stage.waves()) {
                GateSettings gate = deployment.plan().gate(wave.gate());
                String when = wave.when().isEmpty() ? "" : " (" + wave.when() + ")";
                lines.add("  wave " + wave.id() + when + ": " + wave.title());
                lines.add("    " + wave.mode().label() + ", " + wave.services().size() + " service"
                        + (wave.services().size() == 1 ? "" : "s") + ", gate '" + gate.name() + "': " + describe(gate));
                int i = 1;
                for (Service s : deployment.inventory().getAll(wave.services())) {
                    lines.add(String.format(Locale.ROOT, "    %2d. %-28s %-8s %-40s healthy within %s",
                            i++, s.name(), s.rebuilt() ? "rebuild" : "restart", s.health().uri(),
                            Durations.format(s.maxWait())));
                }
                lines.add("    time budget: at most " + Durations.format(waveBudget(wave)) + " (healthy within "
                        + Durations.format(deployBudget(wave)) + (wave.mode() == WaveMode.PARALLEL ? ", " + wave.mode().inFlightLabel(wave.services().size(), maxParallel) : "")
                        + ", then one " + Durations.format(gate.stabilityWindow()) + " window that overlaps what follows; the plan sleeps "
                        + Durations.format(planSleeps(wave)) + " whatever happens)");
                stageSleeps = stageSleeps.plus(planSleeps(wave));
            }
            lines.add("  " + stage.label() + " total: at most " + Durations.format(stageBudget(stage))
                    + "; the plan's fixed sleeps: " + Durations.format(stageSleeps));
            lines.add("");
        }
        return lines;
    }

    static String describe(GateSettings g) {
        var parts = new ArrayList<String>();
        parts.add("/health 2xx");
        if (!g.stabilityWindow().isZero()) {
            parts.add("no restart for " + Durations.format(g.stabilityWindow()));
        }
        if (g.logLines() > 0 && g.errorPattern() != null) {
            parts.add("no /" + g.errorPattern() + "/ in the last " + g.logLines() + " log lines");
        }
        if (g.latencyTolerancePercent() != null) {
            parts.add("latency within " + g.latencyTolerancePercent() + "% of baseline");
        }
        return String.join(", ", parts);
    }

    public String json() {
        var root = new LinkedHashMap<String, Object>();
        var stageList = new ArrayList<Map<String, Object>>();
        var usedGates = new LinkedHashMap<String, Object>();
        for (Stage stage : stages) {
            var st = new LinkedHashMap<String, Object>();
            st.put("kind", stage.kind().name().toLowerCase(Locale.ROOT));
            st.put("number", stage.number());
            st.put("title", stage.title());
            var waves = new ArrayList<Map<String, Object>>();
            for (Wave wave : stage.waves()) {
                GateSettings gate = deployment.plan().gate(wave.gate());
                usedGates.put(gate.name(), gateJson(gate));
                var w = new LinkedHashMap<String, Object>();
                w.put("id", wave.id());
                w.put("title", wave.title());
                w.put("when", wave.when());
                w.put("mode", wave.mode().label());
                w.put("gate", wave.gate());
                w.put("services", wave.services());
                var details = new ArrayList<Map<String, Object>>();
                for (Service s : deployment.inventory().getAll(wave.services())) {
                    var d = new LinkedHashMap<String, Object>();
                    d.put("name", s.name());
                    d.put("action", s.rebuilt() ? "rebuild" : "restart");
                    d.put("port", s.port());
                    d.put("health", s.health().uri().toString());
                    d.put("maxWaitSeconds", s.maxWait().toSeconds());
                    d.put("dependsOn", s.dependsOn());
                    details.add(d);
                }
                w.put("details", details);
                w.put("timeBudgetSeconds", waveBudget(wave).toSeconds());
                w.put("deployBudgetSeconds", deployBudget(wave).toSeconds());
                w.put("planSleepSeconds", planSleeps(wave).toSeconds());
                waves.add(w);
            }
            st.put("timeBudgetSeconds", stageBudget(stage).toSeconds());
            st.put("maxParallel", maxParallel);
            st.put("waves", waves);
            stageList.add(st);
        }
        root.put("stages", stageList);
        root.put("gates", usedGates);
        try {
            // Created here, not statically: the text output should not pay for Jackson's start-up.
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> gateJson(GateSettings g) {
        var m = new LinkedHashMap<String, Object>();
        m.put("description", g.description());
        m.put("stabilityWindowSeconds", g.stabilityWindow().toSeconds());
        m.put("logLines", g.logLines());
        m.put("errorPattern", g.errorPattern());
        m.put("latencyTolerancePercent", g.latencyTolerancePercent());
        return m;
    }
}
