package org.homeiq.deploy.docker;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.homeiq.deploy.InputLimit;
import org.homeiq.deploy.BadInputException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * What the engine needs from a compose file, read without running compose: service names, the
 * host ports they publish, whether they are built, and the named volumes. Only the structure is
 * read; anything else compose accepts is ignored, so the file need not be ours. Read as snakeyaml's
 * node tree, which the plan's files are read with too: scalars stay the text written (YAML 1.1 would
 * read an unquoted {@code 8006:22} as a base-60 number), and no second YAML library loads at start-up
 * (Jackson's YAML took 0.15 s of {@code validate}'s 0.5 s).
 */
public final class ComposeFile {
    /**
     * "8006", "8006:8006", "127.0.0.1:8006:8006", "[::1]:8006:8006", "8006:8006/tcp", "9000-9001:9000-9001".
     * The address has dots (or brackets): a bare number before the first colon is the host port.
     */
    private static final Pattern SHORT_PORT =
            Pattern.compile("^(?:(?:\\[[^]]*]|\\d{1,3}(?:\\.\\d{1,3}){3}):)?(?:(\\d+)(?:-\\d+)?:)?(\\d+)(?:-\\d+)?(?:/\\w+)?$");

    private final Path path;
    private final Map<String, ComposeService> services;
    private final List<String> namedVolumes;

    private ComposeFile(Path path, Map<String, ComposeService> services, List<String> namedVolumes) {
        this.path = path;
        this.services = services;
        this.namedVolumes = namedVolumes;
    }

    /**
     * One service as the compose file declares it.
     *
     * @param hostPorts host ports published with {@code ports:}; empty with host networking
     * @param hostNetwork {@code network_mode: host}: the container's ports are the host's
     * @param volumes named volumes the service mounts
     */
    public record ComposeService(String name, String image, boolean built, List<Integer> hostPorts,
            boolean hostNetwork, List<String> volumes) {
    }

    public static ComposeFile read(Path file) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(InputLimit.COMPOSE.read(file)));
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": compose file not found");
        } catch (MarkedYAMLException e) {
            // Where the broken construct starts (an unclosed bracket's line), else where the parser stopped.
            var mark = e.getContextMark() != null ? e.getContextMark() : e.getProblemMark();
            throw new BadInputException(file + ":" + (mark == null ? 0 : mark.getLine() + 1) + ": not a valid compose file: "
                    + (e.getContext() == null ? "" : e.getContext() + ": ") + e.getProblem()
                    + (e.getProblemMark() == null || e.getProblemMark() == mark ? "" : " (line " + (e.getProblemMark().getLine() + 1) + ")"));
        } catch (YAMLException e) {
            throw new BadInputException(file + ": not a valid compose file: " + e.getMessage());
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage());
        }
        Map<String, Node> top = mapping(root);
        if (!(top.get("services") instanceof MappingNode)) {
            throw new BadInputException(file + ": no 'services:' section: not a compose file");
        }
        var services = new LinkedHashMap<String, ComposeService>();
        mapping(top.get("services")).forEach((name, node) -> services.put(name, service(name, mapping(node))));
        return new ComposeFile(file, services, List.copyOf(mapping(top.get("volumes")).keySet()));
    }

    private static ComposeService service(String name, Map<String, Node> node) {
        var ports = new ArrayList<Integer>();
        for (Node p : sequence(node.get("ports"))) {
            if (p instanceof MappingNode) {
                String published = text(mapping(p).get("published"));
                if (published.matches("\\d+")) {
                    ports.add(Integer.parseInt(published));
                }
            } else {
                Matcher m = SHORT_PORT.matcher(text(p).trim());
                // "8006" alone publishes the container port on a random host port: nothing to compare.
                if (m.matches() && m.group(1) != null) {
                    ports.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        var volumes = new ArrayList<String>();
        for (Node v : sequence(node.get("volumes"))) {
            boolean isMapping = v instanceof MappingNode;
            String source = isMapping ? text(mapping(v).get("source")) : text(v).split(":", 2)[0];
            // Bind mounts start with . / ~ or are absolute; the rest are named volumes.
            if (!source.isEmpty() && !source.startsWith(".") && !source.startsWith("/") && !source.startsWith("~")
                    && text(v).contains(":") || isMapping && "volume".equals(text(mapping(v).get("type")))) {
                volumes.add(source);
            }
        }
        Node image = node.get("image");
        return new ComposeService(name, image instanceof ScalarNode && !isNull(image) ? text(image) : null, node.containsKey("build"),
                List.copyOf(ports), "host".equals(text(node.get("network_mode"))), List.copyOf(volumes));
    }

    /** A mapping's entries by their key's text, in file order; empty for anything else (or nothing). */
    private static Map<String, Node> mapping(Node node) {
        var out = new LinkedHashMap<String, Node>();
        if (node instanceof MappingNode m) {
            m.getValue().forEach(t -> out.put(text(t.getKeyNode()), t.getValueNode()));
        }
        return out;
    }

    private static List<Node> sequence(Node node) {
        return node instanceof SequenceNode s ? s.getValue() : List.of();
    }

    /** A scalar's text as written; "" for anything else, a missing key or null. */
    private static String text(Node node) {
        return node instanceof ScalarNode s && !isNull(node) ? s.getValue() : "";
    }

    private static boolean isNull(Node node) {
        return Tag.NULL.equals(node.getTag());
    }

    public Path path() {
        return path;
    }

    public Collection<ComposeService> services() {
        return services.values();
    }

    public Optional<ComposeService> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    public boolean hasService(String name) {
        return services.containsKey(name);
    }

    /** Top-level named volumes, in file order. */
    public List<String> namedVolumes() {
        return namedVolumes;
    }
}
