package org.homeiq.deploy.model.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.homeiq.deploy.InputLimit;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.model.Deployment;
import org.homeiq.deploy.model.GateSettings;
import org.homeiq.deploy.model.HealthCheck;
import org.homeiq.deploy.model.Inventory;
import org.homeiq.deploy.model.Plan;
import org.homeiq.deploy.model.Service;
import org.homeiq.deploy.model.Stage;
import org.homeiq.deploy.model.Wave;
import org.homeiq.deploy.model.WaveMode;
import org.homeiq.deploy.validate.Finding;

/**
 * Reads the bundled inventory and plan, layers the user's files over them, and builds the model.
 * Every problem that makes the data unusable (syntax, unknown keys, wrong types, duplicates, a
 * plan naming an unknown service) is collected and thrown together, each with its file and line.
 */
public final class DeploymentLoader {
    public static final String BUNDLED_INVENTORY = "homeiq/inventory.yaml";
    public static final String BUNDLED_PLAN = "homeiq/plan.yaml";
    /** Appendix A writes "[depends: all services]" for the log aggregator. */
    public static final String ALL_SERVICES = "all services";

    private final List<String> errors = new ArrayList<>();
    private final List<Finding> notes = new ArrayList<>();
    private final Map<String, String> where = new HashMap<>();

    // Merged state, in application order.
    private final Layer.Defaults defaults = new Layer.Defaults();
    private final LinkedHashMap<String, Layer.ServiceSpec> services = new LinkedHashMap<>();
    private final LinkedHashMap<String, Layer.GateSpec> gates = new LinkedHashMap<>();
    private final TreeMap<Integer, Layer.StageSpec> phases = new TreeMap<>();
    private final TreeMap<Integer, Layer.StageSpec> days = new TreeMap<>();
    private final Map<Layer.StageSpec, SourceMap> stageSource = new HashMap<>();
    private final Map<Layer.StageSpec, String> stagePointer = new HashMap<>();
    /** Waves an overlay dropped with {@code absent: true}, with where it said so. */
    private final LinkedHashMap<String, String> absentWaves = new LinkedHashMap<>();

    private DeploymentLoader() {
    }

    /** The bundled data with the given overlays applied in order. */
    public static Deployment load(List<Path> overlays) {
        return loadWithSources(overlays).deployment();
    }

    /** Like {@link #load} but keeps where each item came from, for {@code validate}. */
    public static Loaded loadWithSources(List<Path> overlays) {
        DeploymentLoader loader = new DeploymentLoader();
        loader.read("resources/" + BUNDLED_INVENTORY, bundled(BUNDLED_INVENTORY));
        loader.read("resources/" + BUNDLED_PLAN, bundled(BUNDLED_PLAN));
        for (Path file : overlays) {
            loader.read(file.toString(), readFile(file));
        }
        return loader.build();
    }

    /**
     * The merged model plus provenance.
     *
     * @param deployment the model
     * @param where {@code file:line} by logical key, see {@link #key}
     * @param notes findings the loader made on the way (short dependency names it resolved)
     */
    public record Loaded(Deployment deployment, Map<String, String> where, List<Finding> notes) {
        /** {@code file:line} of a logical item, or empty. */
        public String at(String... parts) {
            return where.getOrDefault(key(parts), "");
        }
    }

    /** Logical keys: {@code service/NAME/port}, {@code wave/ID/services/2}, {@code gate/NAME}. */
    public static String key(String... parts) {
        return String.join("/", parts);
    }

    private static String bundled(String resource) {
        try (InputStream in = DeploymentLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled " + resource + " is missing from the engine jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read bundled " + resource, e);
        }
    }

    private static String readFile(Path file) {
        try {
            return InputLimit.YAML.read(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": file not found");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage());
        }
    }

    private void read(String file, String text) {
        LayerReader reader = new LayerReader(file, errors);
        Layer layer = reader.read(text);
        SourceMap src = reader.lines();
        if (layer == null) {
            return;
        }
        mergeDefaults(layer.defaults);
        layer.servicesOrEmpty().forEach((name, spec) -> mergeService(name, spec, src));
        if (layer.gates != null) {
            layer.gates.forEach((name, spec) -> mergeGate(name, spec, src));
        }
        mergeStages(layer.phases, phases, "phases", src);
        mergeStages(layer.days, days, "days", src);
        if (layer.waves != null) {
            layer.waves.forEach((id, w) -> {
                String at = src.where("/waves/" + SourceMap.key(id));
                if (Boolean.TRUE.equals(w.absent)) {
                    absentWaves.put(id, at);
                } else {
                    absentWaves.remove(id); // absent: false brings back what an earlier overlay dropped
                }
            });
        }
    }

    private boolean absent(String service) {
        Layer.ServiceSpec s = services.get(service);
        return s != null && Boolean.TRUE.equals(s.absent);
    }

    private void mergeDefaults(Layer.Defaults d) {
        if (d == null) {
            return;
        }
        if (d.healthHost != null) {
            defaults.healthHost = d.healthHost;
        }
        if (d.portOffset != null) {
            defaults.portOffset = d.portOffset;
        }
        if (d.healthPath != null) {
            defaults.healthPath = d.healthPath;
        }
        if (d.wait != null) {
            defaults.wait = d.wait;
        }
    }

    private void mergeService(String name, Layer.ServiceSpec spec, SourceMap src) {
        String p = "/services/" + SourceMap.key(name);
        if (spec == null) {
            errors.add(src.where(p) + ": service '" + name + "' has no fields");
            return;
        }
        if (Boolean.TRUE.equals(spec.absent) && !services.containsKey(name)) {
            errors.add(src.where(p + "/absent") + ": service '" + name + "' is marked absent, but no earlier file defines it");
            return;
        }
        Layer.ServiceSpec into = services.computeIfAbsent(name, n -> {
            where.put(key("service", name), src.where(p));
            return new Layer.ServiceSpec();
        });
        if (spec.group != null) {
            into.group = spec.group;
        }
        if (spec.port != null) {
            into.port = spec.port;
            where.put(key("service", name, "port"), src.where(p + "/port"));
        }
        if (spec.extraPorts != null) {
            into.extraPorts = spec.extraPorts;
            where.put(key("service", name, "extraPorts"), src.where(p + "/extraPorts"));
        }
        if (spec.health != null) {
            if (into.health == null) {
                into.health = new Layer.HealthSpec();
            }
            if (spec.health.path != null) {
                into.health.path = spec.health.path;
            }
            if (spec.health.port != null) {
                into.health.port = spec.health.port;
            }
        }
        if (spec.dependsOn != null) {
            into.dependsOn = spec.dependsOn;
            for (int i = 0; i < spec.dependsOn.size(); i++) {
                where.put(key("service", name, "dependsOn", String.valueOf(i)), src.where(p + "/dependsOn/" + i));
            }
        }
        if (spec.rebuilt != null) {
            into.rebuilt = spec.rebuilt;
        }
        if (spec.absent != null) {
            into.absent = spec.absent;
        }
        if (spec.image != null) {
            into.image = spec.image;
        }
        if (spec.wait != null) {
            into.wait = spec.wait;
            where.put(key("service", name, "wait"), src.where(p + "/wait"));
        }
    }

    private void mergeGate(String name, Layer.GateSpec spec, SourceMap src) {
        String p = "/gates/" + SourceMap.key(name);
        if (spec == null) {
            errors.add(src.where(p) + ": gate '" + name + "' has no fields");
            return;
        }
        Layer.GateSpec into = gates.computeIfAbsent(name, n -> new Layer.GateSpec());
        where.put(key("gate", name), src.where(p));
        if (spec.description != null) {
            into.description = spec.description;
        }
        if (spec.stabilityWindow != null) {
            into.stabilityWindow = spec.stabilityWindow;
            where.put(key("gate", name, "stabilityWindow"), src.where(p + "/stabilityWindow"));
        }
        if (spec.logLines != null) {
            into.logLines = spec.logLines;
        }
        if (spec.errorPattern != null) {
            into.errorPattern = spec.errorPattern;
            where.put(key("gate", name, "errorPattern"), src.where(p + "/errorPattern"));
        }
        if (spec.latencyTolerancePercent != null) {
            into.latencyTolerancePercent = spec.latencyTolerancePercent;
        }
    }

    /** A day or phase named in a later file replaces the earlier one whole: a day is one unit. */
    private void mergeStages(List<Layer.StageSpec> specs, TreeMap<Integer, Layer.StageSpec> into,
            String section, SourceMap src) {
        if (specs == null) {
            return;
        }
        Set<Integer> seenHere = new java.util.HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            Layer.StageSpec s = specs.get(i);
            String p = "/" + section + "/" + i;
            if (s == null || s.number == null) {
                errors.add(src.where(p) + ": " + section + " entry has no 'number'");
                continue;
            }
            if (!seenHere.add(s.number)) {
                errors.add(src.where(p + "/number") + ": duplicate " + singular(section) + " number " + s.number);
                continue;
            }
            into.put(s.number, s);
            stageSource.put(s, src);
            stagePointer.put(s, p);
        }
    }

    private static String singular(String section) {
        return section.equals("days") ? "day" : "phase";
    }

    private Loaded build() {
        throwIfErrors();
        int offset = defaults.portOffset == null ? 0 : defaults.portOffset;
        String host = defaults.healthHost == null ? "localhost" : defaults.healthHost;
        String defaultPath = defaults.healthPath == null ? "/health" : defaults.healthPath;
        Duration defaultWait = defaults.wait == null ? Duration.ofSeconds(60)
                : parseDuration(defaults.wait, "defaults.wait", "");

        var built = new ArrayList<Service>();
        for (var e : services.entrySet()) {
            String name = e.getKey();
            Layer.ServiceSpec s = e.getValue();
            String at = where.getOrDefault(key("service", name), "");
            if (Boolean.TRUE.equals(s.absent)) {
                continue; // this checkout has no such service
            }
            if (s.port == null) {
                errors.add(at + ": service '" + name + "' has no 'port'");
                continue;
            }
            int port = s.port + offset;
            var extra = s.extraPorts == null ? List.<Integer>of()
                    : s.extraPorts.stream().map(x -> x + offset).toList();
            String path = s.health != null && s.health.path != null ? s.health.path : defaultPath;
            int healthPort = s.health != null && s.health.port != null ? s.health.port + offset : port;
            Duration wait = s.wait == null ? defaultWait
                    : parseDuration(s.wait, "service '" + name + "' wait", where.getOrDefault(key("service", name, "wait"), at));
            built.add(new Service(name, s.group == null ? "unassigned" : s.group, port, extra,
                    new HealthCheck(host, healthPort, path), resolveDependencies(name, s),
                    s.rebuilt == null || s.rebuilt, wait));
        }
        Inventory inventory = new Inventory(built);

        var gateSettings = new LinkedHashMap<String, GateSettings>();
        gates.forEach((name, g) -> gateSettings.put(name, gate(name, g)));

        Set<String> waveIds = new java.util.HashSet<>();
        List<Stage> phaseList = stages(Stage.Kind.PHASE, phases, inventory, gateSettings.keySet(), waveIds);
        List<Stage> dayList = stages(Stage.Kind.DAY, days, inventory, gateSettings.keySet(), waveIds);
        absentWaves.forEach((id, at) -> {
            if (!waveIds.contains(id)) {
                errors.add(at + ": wave '" + id + "' is marked absent, but the plan has no such wave");
            }
        });
        throwIfErrors();
        return new Loaded(new Deployment(inventory, new Plan(phaseList, dayList, gateSettings)),
                Map.copyOf(where), List.copyOf(notes));
    }

    private void throwIfErrors() {
        if (!errors.isEmpty()) {
            throw new BadInputException(errors.size() == 1 ? errors.get(0)
                    : errors.size() + " problems in the inventory/plan files:" + System.lineSeparator()
                            + String.join(System.lineSeparator(), errors.stream().map(x -> "  " + x).toList()));
        }
    }

    /**
     * Appendix A uses short names ("websocket", "ai-core"); resolve them where exactly one service
     * starts with the name, say so, and keep anything else as written for {@code validate}.
     */
    private List<String> resolveDependencies(String service, Layer.ServiceSpec s) {
        if (s.dependsOn == null) {
            return List.of();
        }
        var out = new ArrayList<String>();
        for (int i = 0; i < s.dependsOn.size(); i++) {
            String dep = s.dependsOn.get(i);
            String at = where.getOrDefault(key("service", service, "dependsOn", String.valueOf(i)), "");
            if (dep == null || dep.isBlank()) {
                errors.add(at + ": service '" + service + "' has an empty dependency");
                continue;
            }
            if (absent(dep)) {
                continue; // not in this checkout: nothing to wait for
            }
            if (services.containsKey(dep) || dep.equals(ALL_SERVICES)) {
                out.add(dep);
                continue;
            }
            List<String> candidates = services.keySet().stream()
                    .filter(n -> n.startsWith(dep)).toList();
            if (candidates.size() == 1) {
                String full = candidates.get(0);
                notes.add(new Finding(Finding.Severity.WARNING, "short-name", at,
                        service + " depends on '" + dep + "': read as " + full
                                + " (the only service whose name starts with it); write the full name to silence this",
                        List.of(service, full)));
                out.add(full);
            } else {
                // Kept as written: validate reports it, with the candidates when there are several.
                out.add(dep);
            }
        }
        return out;
    }

    private GateSettings gate(String name, Layer.GateSpec g) {
        String at = where.getOrDefault(key("gate", name), "");
        Duration window = g.stabilityWindow == null ? Duration.ZERO
                : parseDuration(g.stabilityWindow, "gate '" + name + "' stabilityWindow",
                        where.getOrDefault(key("gate", name, "stabilityWindow"), at));
        if (g.errorPattern != null) {
            try {
                java.util.regex.Pattern.compile(g.errorPattern);
            } catch (java.util.regex.PatternSyntaxException e) {
                errors.add(where.getOrDefault(key("gate", name, "errorPattern"), at) + ": gate '" + name
                        + "' errorPattern is not a valid regular expression: " + e.getDescription());
            }
        }
        if (g.logLines != null && g.logLines < 0) {
            errors.add(at + ": gate '" + name + "' logLines must be 0 or more, not " + g.logLines);
        }
        return new GateSettings(name, g.description == null ? "" : g.description, window,
                g.logLines == null ? 0 : g.logLines, g.errorPattern, g.latencyTolerancePercent);
    }

    private List<Stage> stages(Stage.Kind kind, TreeMap<Integer, Layer.StageSpec> specs, Inventory inventory,
            Set<String> gateNames, Set<String> waveIds) {
        var out = new ArrayList<Stage>();
        for (var e : specs.entrySet()) {
            Layer.StageSpec s = e.getValue();
            SourceMap src = stageSource.get(s);
            String p = stagePointer.get(s);
            var waves = new ArrayList<Wave>();
            List<Layer.WaveSpec> specsOfStage = s.waves == null ? List.of() : s.waves;
            if (specsOfStage.isEmpty()) {
                errors.add(src.where(p) + ": " + kind.label() + " " + s.number + " has no waves");
            }
            for (int i = 0; i < specsOfStage.size(); i++) {
                Wave w = wave(specsOfStage.get(i), src, p + "/waves/" + i, inventory, gateNames, waveIds);
                if (w != null) {
                    waves.add(w);
                }
            }
            out.add(new Stage(kind, s.number, s.title == null ? kind.label() + " " + s.number : s.title, waves));
        }
        return out;
    }

    private Wave wave(Layer.WaveSpec w, SourceMap src, String p, Inventory inventory, Set<String> gateNames,
            Set<String> waveIds) {
        if (w == null || w.id == null || w.id.isBlank()) {
            errors.add(src.where(p) + ": wave has no 'id'");
            return null;
        }
        where.put(key("wave", w.id), src.where(p));
        if (!w.id.matches("[a-z0-9][a-z0-9-]*")) {
            errors.add(src.where(p + "/id") + ": wave id '" + w.id + "' must be lower-case letters, digits and '-'");
        }
        if (!waveIds.add(w.id)) {
            errors.add(src.where(p + "/id") + ": duplicate wave id '" + w.id + "'");
        }
        if (absentWaves.containsKey(w.id)) {
            return null; // dropped by an overlay
        }
        WaveMode mode = null;
        if (w.mode == null) {
            errors.add(src.where(p) + ": wave '" + w.id + "' has no 'mode' (sequential or parallel)");
        } else {
            try {
                mode = WaveMode.valueOf(w.mode.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                errors.add(src.where(p + "/mode") + ": wave '" + w.id + "' mode '" + w.mode
                        + "' is neither sequential nor parallel");
            }
        }
        if (w.services == null || w.services.isEmpty()) {
            errors.add(src.where(p) + ": wave '" + w.id + "' lists no services");
        } else {
            Set<String> inWave = new java.util.HashSet<>();
            for (int i = 0; i < w.services.size(); i++) {
                String svc = w.services.get(i);
                String at = src.where(p + "/services/" + i);
                where.put(key("wave", w.id, "services", String.valueOf(i)), at);
                if (absent(svc)) {
                    continue;
                }
                if (!inventory.contains(svc)) {
                    errors.add(at + ": wave '" + w.id + "' names service '" + svc
                            + "', which is not in the inventory" + suggestion(svc, inventory));
                } else if (!inWave.add(svc)) {
                    errors.add(at + ": wave '" + w.id + "' names service '" + svc + "' twice");
                }
            }
        }
        String gate = w.gate == null ? "deploy" : w.gate;
        if (!gateNames.contains(gate)) {
            errors.add(src.where(w.gate == null ? p : p + "/gate") + ": wave '" + w.id + "' uses gate '" + gate
                    + "', which is not defined (gates: " + String.join(", ", gateNames) + ")");
        }
        if (mode == null || w.services == null) {
            return null;
        }
        List<String> present = w.services.stream().filter(s -> !absent(s)).toList();
        if (present.isEmpty()) {
            return null; // every service of it is absent from this checkout
        }
        return new Wave(w.id, w.title == null ? w.id : w.title, w.when == null ? "" : w.when, mode, present, gate);
    }

    private static String suggestion(String name, Inventory inventory) {
        var close = inventory.all().stream().map(Service::name)
                .filter(n -> n.startsWith(name) || name.startsWith(n)).toList();
        return close.isEmpty() ? "" : " (did you mean " + String.join(" or ", close) + "?)";
    }

    private Duration parseDuration(String text, String what, String at) {
        try {
            return org.homeiq.deploy.model.Durations.parse(text);
        } catch (IllegalArgumentException e) {
            errors.add(at + ": " + what + ": " + e.getMessage());
            return Duration.ZERO;
        }
    }
}
