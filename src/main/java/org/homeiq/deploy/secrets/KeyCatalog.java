package org.homeiq.deploy.secrets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.InputLimit;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Which {@code .env} keys HomeIQ reads, which of them are secrets, which are required, and the
 * Jenkins credential each secret is bound from. Bundled as {@code resources/homeiq/dotenv.yaml}.
 */
public final class KeyCatalog {
    public static final String BUNDLED = "homeiq/dotenv.yaml";

    /** One key of the catalog. */
    public record Key(String key, List<String> aliases, boolean secret, boolean required,
            String credentialId, String description) {
        /** Every name this key goes by, the main one first. */
        public List<String> names() {
            var names = new ArrayList<String>();
            names.add(key);
            names.addAll(aliases);
            return names;
        }
    }

    private final String prefix;
    private final Map<String, Key> byName;
    private final List<Key> keys;

    private KeyCatalog(String prefix, List<Key> keys) {
        this.prefix = prefix;
        this.keys = List.copyOf(keys);
        var map = new LinkedHashMap<String, Key>();
        for (Key k : keys) {
            for (String name : k.names()) {
                map.put(name, k);
            }
        }
        this.byName = map;
    }

    public static KeyCatalog bundled() {
        try (InputStream in = KeyCatalog.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException(BUNDLED + " is missing from the engine jar");
            }
            return read("resources/" + BUNDLED, in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read bundled " + BUNDLED, e);
        }
    }

    public static KeyCatalog load(Path file) {
        try {
            return read(file.toString(), InputLimit.YAML.read(file).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read (" + e.getClass().getSimpleName() + ")");
        }
    }

    static KeyCatalog read(String source, byte[] yaml) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new java.io.StringReader(new String(yaml, StandardCharsets.UTF_8)));
        } catch (MarkedYAMLException e) {
            throw new BadInputException(source + ":" + (e.getProblemMark().getLine() + 1) + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new BadInputException(source + ": " + e.getMessage());
        }
        if (root == null) {
            throw new BadInputException(source + ": empty");
        }
        var reader = new NodeReader(source);
        Map<String, Node> top = reader.fields(root, "the catalog", Set.of("credentialIdPrefix", "keys"), Set.of("credentialIdPrefix", "keys"));
        String prefix = reader.text(top.get("credentialIdPrefix"), "credentialIdPrefix");
        if (!(top.get("keys") instanceof SequenceNode seq)) {
            throw reader.error(top.get("keys"), "keys must be a list");
        }
        var keys = new ArrayList<Key>();
        var seen = new java.util.HashSet<String>();
        for (Node item : seq.getValue()) {
            Map<String, Node> f = reader.fields(item, "a key",
                    Set.of("key", "aliases", "secret", "required", "credentialId", "description"), Set.of("key", "secret", "required"));
            String name = reader.text(f.get("key"), "key");
            var aliases = new ArrayList<String>();
            if (f.containsKey("aliases")) {
                if (!(f.get("aliases") instanceof SequenceNode as)) {
                    throw reader.error(f.get("aliases"), "aliases must be a list of names");
                }
                for (Node a : as.getValue()) {
                    aliases.add(reader.text(a, "alias"));
                }
            }
            var key = new Key(name, List.copyOf(aliases), reader.bool(f.get("secret"), "secret"),
                    reader.bool(f.get("required"), "required"),
                    f.containsKey("credentialId") ? reader.text(f.get("credentialId"), "credentialId") : prefix + kebab(name),
                    f.containsKey("description") ? reader.text(f.get("description"), "description") : "");
            for (String n : key.names()) {
                if (!Dotenv.isValidName(n)) {
                    throw reader.error(item, "'" + n + "' is not a valid variable name");
                }
                if (!seen.add(n)) {
                    throw reader.error(item, "key " + n + " is listed twice");
                }
            }
            keys.add(key);
        }
        return new KeyCatalog(prefix, keys);
    }

    /** Reads the few shapes the catalog has, every error with file and line. */
    private record NodeReader(String source) {
        BadInputException error(Node node, String message) {
            return new BadInputException(source + ":" + (node.getStartMark().getLine() + 1) + ": " + message);
        }

        Map<String, Node> fields(Node node, String what, Set<String> allowed, Set<String> required) {
            if (!(node instanceof MappingNode m)) {
                throw error(node, what + " must be a mapping");
            }
            var out = new LinkedHashMap<String, Node>();
            for (NodeTuple t : m.getValue()) {
                String k = t.getKeyNode() instanceof ScalarNode sk ? sk.getValue() : null;
                if (k == null || !allowed.contains(k)) {
                    throw error(t.getKeyNode(), "unknown field in " + what + " (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
                }
                if (out.put(k, t.getValueNode()) != null) {
                    throw error(t.getKeyNode(), k + " is given twice");
                }
            }
            for (String r : required) {
                if (!out.containsKey(r)) {
                    throw error(node, what + " needs " + r);
                }
            }
            return out;
        }

        String text(Node node, String what) {
            if (!(node instanceof ScalarNode s) || s.getValue().isEmpty()) {
                throw error(node, what + " must be a non-empty text");
            }
            return s.getValue();
        }

        boolean bool(Node node, String what) {
            String v = node instanceof ScalarNode s ? s.getValue() : "";
            return switch (v) {
                case "true" -> true;
                case "false" -> false;
                default -> throw error(node, what + " must be true or false");
            };
        }
    }

    /** {@code OPENAI_API_KEY} → {@code openai-api-key}. */
    static String kebab(String key) {
        return key.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public List<Key> keys() {
        return keys;
    }

    /** The catalog entry for a name or alias. */
    public Optional<Key> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * Booleans, small numbers, one to three characters: a key outside the catalog with such a
     * value is a setting.
     */
    private static final java.util.regex.Pattern TRIVIAL = java.util.regex.Pattern.compile(
            "(?i)true|false|yes|no|on|off|[0-9]{1,6}|.{1,3}");

    /**
     * Compose's own variables ({@code COMPOSE_PROJECT_NAME=homeiq}, {@code COMPOSE_FILE}): names,
     * not secrets. Masked, the project name would blank every image and container name in the
     * log and in the journal that {@code rollback --journal} reads back.
     */
    private static final java.util.regex.Pattern COMPOSE_SETTING = java.util.regex.Pattern.compile("COMPOSE_[A-Z0-9_]+");

    /**
     * Registers the entry's value with the masker. Secrets always; keys the catalog calls plain
     * settings and Compose's own variables never; other keys unless the value is trivial
     * (masking {@code 1}, {@code x} or {@code true} would blank out line numbers and words in the
     * log, and hide no secret).
     */
    public void register(Dotenv.Entry entry, Masker masker) {
        if (isSecret(entry.key())
                || find(entry.key()).isEmpty() && !COMPOSE_SETTING.matcher(entry.key()).matches()
                        && !TRIVIAL.matcher(entry.value()).matches()) {
            masker.add(entry.value());
        }
    }

    /** Whether a template key is bound from a credential: the catalog calls it secret. */
    public boolean isSecret(String name) {
        return find(name).map(Key::secret).orElse(false);
    }

    /** The credential id for a name: the catalog's, else the convention. */
    public String credentialId(String name) {
        return find(name).map(Key::credentialId).orElse(prefix + kebab(name));
    }

    /** Required keys none of whose names has a non-empty value in {@code env}. */
    public List<Key> missingRequired(Dotenv env) {
        var missing = new ArrayList<Key>();
        for (Key k : keys) {
            if (k.required() && k.names().stream()
                    .noneMatch(n -> env.get(n).map(e -> !e.value().isEmpty()).orElse(false))) {
                missing.add(k);
            }
        }
        return missing;
    }
}
