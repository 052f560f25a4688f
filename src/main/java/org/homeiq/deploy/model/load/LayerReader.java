package org.homeiq.deploy.model.load;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Binds one YAML file to a {@link Layer}, keeping the line of every item. Reads the node tree
 * directly (no reflection-based binding): {@code validate} and {@code plan} run in a fraction of a
 * second including JVM start, and every unknown key, wrong type or duplicate is reported with its
 * line, all of them in one pass.
 */
final class LayerReader {
    private static final Set<String> TOP = Set.of("defaults", "services", "gates", "phases", "days", "waves");
    private static final Set<String> DEFAULTS = Set.of("healthHost", "portOffset", "healthPath", "wait");
    private static final Set<String> SERVICE =
            Set.of("group", "port", "extraPorts", "health", "dependsOn", "rebuilt", "image", "wait", "note", "absent");
    private static final Set<String> HEALTH = Set.of("path", "port");
    private static final Set<String> GATE =
            Set.of("description", "stabilityWindow", "logLines", "errorPattern", "latencyTolerancePercent");
    private static final Set<String> STAGE = Set.of("number", "title", "waves");
    private static final Set<String> WAVE_OVERRIDE = Set.of("absent");
    private static final Set<String> WAVE = Set.of("id", "title", "when", "mode", "services", "gate");

    private final String file;
    private final List<String> errors;
    private final SourceMap lines;

    LayerReader(String file, List<String> errors) {
        this.file = file;
        this.errors = errors;
        this.lines = new SourceMap(file);
    }

    SourceMap lines() {
        return lines;
    }

    /** The layer, or null when the file could not be read as YAML at all (the error is recorded). */
    Layer read(String text) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            errors.add(file + ":" + (mark == null ? 0 : mark.getLine() + 1) + ": not valid YAML: " + e.getProblem());
            return null;
        } catch (YAMLException e) {
            errors.add(file + ": not valid YAML: " + e.getMessage());
            return null;
        }
        Layer layer = new Layer();
        if (root == null || isNull(root)) {
            return layer; // an empty overlay changes nothing
        }
        Map<String, Node> top = fields(root, "", "the document", TOP);
        if (top == null) {
            return null;
        }
        top.forEach((key, node) -> {
            String p = "/" + key;
            switch (key) {
                case "defaults" -> layer.defaults = defaults(node, p);
                case "services" -> layer.services = namedMap(node, p, "services", this::service);
                case "gates" -> layer.gates = namedMap(node, p, "gates", this::gate);
                case "phases" -> layer.phases = list(node, p, "phases", this::stage);
                case "days" -> layer.days = list(node, p, "days", this::stage);
                case "waves" -> layer.waves = namedMap(node, p, "waves", this::waveOverride);
                default -> throw new IllegalStateException(key);
            }
        });
        return layer;
    }

    private Layer.Defaults defaults(Node node, String p) {
        Map<String, Node> f = fields(node, p, "defaults", DEFAULTS);
        var d = new Layer.Defaults();
        if (f != null) {
            d.healthHost = string(f.get("healthHost"), p + "/healthHost");
            d.portOffset = integer(f.get("portOffset"), p + "/portOffset");
            d.healthPath = string(f.get("healthPath"), p + "/healthPath");
            d.wait = string(f.get("wait"), p + "/wait");
        }
        return d;
    }

    private Layer.ServiceSpec service(Node node, String p) {
        Map<String, Node> f = fields(node, p, "service", SERVICE);
        if (f == null) {
            return null;
        }
        var s = new Layer.ServiceSpec();
        s.group = string(f.get("group"), p + "/group");
        s.port = port(f.get("port"), p + "/port");
        s.extraPorts = f.containsKey("extraPorts") ? list(f.get("extraPorts"), p + "/extraPorts", "extraPorts", this::port) : null;
        if (f.containsKey("health")) {
            Map<String, Node> h = fields(f.get("health"), p + "/health", "health", HEALTH);
            if (h != null) {
                s.health = new Layer.HealthSpec();
                s.health.path = string(h.get("path"), p + "/health/path");
                s.health.port = port(h.get("port"), p + "/health/port");
                if (s.health.path != null && !s.health.path.startsWith("/")) {
                    error(p + "/health/path", "health path must start with '/', not '" + s.health.path + "'");
                }
            }
        }
        s.dependsOn = f.containsKey("dependsOn") ? list(f.get("dependsOn"), p + "/dependsOn", "dependsOn", this::string) : null;
        s.rebuilt = bool(f.get("rebuilt"), p + "/rebuilt");
        s.image = string(f.get("image"), p + "/image");
        s.wait = string(f.get("wait"), p + "/wait");
        s.note = string(f.get("note"), p + "/note");
        s.absent = bool(f.get("absent"), p + "/absent");
        return s;
    }

    private Layer.WaveOverride waveOverride(Node node, String p) {
        Map<String, Node> f = fields(node, p, "wave override", WAVE_OVERRIDE);
        if (f == null) {
            return null;
        }
        var w = new Layer.WaveOverride();
        w.absent = bool(f.get("absent"), p + "/absent");
        return w;
    }

    private Layer.GateSpec gate(Node node, String p) {
        Map<String, Node> f = fields(node, p, "gate", GATE);
        if (f == null) {
            return null;
        }
        var g = new Layer.GateSpec();
        g.description = string(f.get("description"), p + "/description");
        g.stabilityWindow = string(f.get("stabilityWindow"), p + "/stabilityWindow");
        g.logLines = integer(f.get("logLines"), p + "/logLines");
        g.errorPattern = string(f.get("errorPattern"), p + "/errorPattern");
        g.latencyTolerancePercent = integer(f.get("latencyTolerancePercent"), p + "/latencyTolerancePercent");
        return g;
    }

    private Layer.StageSpec stage(Node node, String p) {
        Map<String, Node> f = fields(node, p, "day or phase", STAGE);
        if (f == null) {
            return null;
        }
        var s = new Layer.StageSpec();
        s.number = integer(f.get("number"), p + "/number");
        s.title = string(f.get("title"), p + "/title");
        s.waves = f.containsKey("waves") ? list(f.get("waves"), p + "/waves", "waves", this::wave) : null;
        return s;
    }

    private Layer.WaveSpec wave(Node node, String p) {
        Map<String, Node> f = fields(node, p, "wave", WAVE);
        if (f == null) {
            return null;
        }
        var w = new Layer.WaveSpec();
        w.id = string(f.get("id"), p + "/id");
        w.title = string(f.get("title"), p + "/title");
        w.when = string(f.get("when"), p + "/when");
        w.mode = string(f.get("mode"), p + "/mode");
        w.services = f.containsKey("services") ? list(f.get("services"), p + "/services", "services", this::string) : null;
        w.gate = string(f.get("gate"), p + "/gate");
        return w;
    }

    /** The keys of a mapping, each checked against what is allowed there and never repeated. */
    private Map<String, Node> fields(Node node, String p, String what, Set<String> allowed) {
        lines.put(p, line(node));
        if (!(node instanceof MappingNode m)) {
            error(p, what + " must be a mapping of keys to values, not " + kind(node));
            return null;
        }
        var out = new LinkedHashMap<String, Node>();
        for (NodeTuple t : m.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : null;
            if (key == null) {
                errors.add(file + ":" + line(t.getKeyNode()) + ": keys in " + what + " must be plain words");
                continue;
            }
            String kp = p + "/" + SourceMap.key(key);
            if (allowed != null && !allowed.contains(key)) {
                errors.add(file + ":" + line(t.getKeyNode()) + ": unknown key '" + key + "' in " + what
                        + " (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
                continue;
            }
            if (out.containsKey(key)) {
                errors.add(file + ":" + line(t.getKeyNode()) + ": duplicate key '" + key + "' in " + what
                        + " (first at line " + lines.line(kp) + ")");
                continue;
            }
            lines.put(kp, line(t.getKeyNode()));
            out.put(key, t.getValueNode());
        }
        return out;
    }

    /** A mapping whose keys are names the user chooses (services, gates). */
    private <T> LinkedHashMap<String, T> namedMap(Node node, String p, String what, Nodes<T> each) {
        Map<String, Node> f = fields(node, p, what, null);
        if (f == null) {
            return null;
        }
        var out = new LinkedHashMap<String, T>();
        f.forEach((name, value) -> {
            String np = p + "/" + SourceMap.key(name);
            if (isNull(value)) {
                error(np, what.substring(0, what.length() - 1) + " '" + name + "' has no fields");
                return;
            }
            T t = each.read(value, np);
            if (t != null) {
                out.put(name, t);
            }
        });
        return out;
    }

    private <T> List<T> list(Node node, String p, String what, Nodes<T> each) {
        lines.put(p, line(node));
        if (!(node instanceof SequenceNode s)) {
            error(p, what + " must be a list, not " + kind(node));
            return null;
        }
        var out = new ArrayList<T>();
        for (int i = 0; i < s.getValue().size(); i++) {
            Node item = s.getValue().get(i);
            String ip = p + "/" + i;
            lines.put(ip, line(item));
            out.add(each.read(item, ip));
        }
        return out;
    }

    @FunctionalInterface
    private interface Nodes<T> {
        T read(Node node, String pointer);
    }

    private String string(Node node, String p) {
        if (node == null || isNull(node)) {
            return null;
        }
        lines.put(p, line(node));
        if (!(node instanceof ScalarNode s)) {
            error(p, "expected a single value, not " + kind(node));
            return null;
        }
        return s.getValue();
    }

    private Integer integer(Node node, String p) {
        return scalar(node, p, "a whole number", v -> v.matches("-?\\d{1,9}") ? Integer.valueOf(v) : null);
    }

    private Integer port(Node node, String p) {
        Integer n = integer(node, p);
        if (n != null && (n < 1 || n > 65535)) {
            error(p, "port " + n + " is outside 1-65535");
            return null;
        }
        return n;
    }

    private Boolean bool(Node node, String p) {
        return scalar(node, p, "true or false", v -> switch (v) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        });
    }

    private <T> T scalar(Node node, String p, String expected, Function<String, T> parse) {
        String v = string(node, p);
        if (v == null) {
            return null;
        }
        T t = parse.apply(v.trim());
        if (t == null || node.getTag() == Tag.STR && ((ScalarNode) node).getScalarStyle().getChar() != null) {
            error(p, "expected " + expected + ", got '" + v + "'");
            return null;
        }
        return t;
    }

    private void error(String pointer, String message) {
        errors.add(lines.where(pointer) + ": " + message);
    }

    private static boolean isNull(Node node) {
        return node.getTag() == Tag.NULL;
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    private static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }
}
