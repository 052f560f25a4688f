package org.homeiq.deploy.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
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

/**
 * What the engine needs from a compose file, read without running compose: service names, the
 * host ports they publish, whether they are built, and the named volumes. Only the structure is
 * read; anything else compose accepts is ignored, so the file need not be ours.
 */
public final class ComposeFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** "8006", "8006:8006", "127.0.0.1:8006:8006", "8006:8006/tcp", "9000-9001:9000-9001". */
    private static final Pattern SHORT_PORT =
            Pattern.compile("^(?:(?:\\[[^]]*]|[0-9.]+):)?(?:(\\d+)(?:-\\d+)?:)?(\\d+)(?:-\\d+)?(?:/\\w+)?$");

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
        JsonNode root;
        try {
            root = YAML.readTree(InputLimit.COMPOSE.read(file));
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": compose file not found");
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new BadInputException(file + ":" + line + ": not a valid compose file: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage());
        }
        if (root == null || !root.path("services").isObject()) {
            throw new BadInputException(file + ": no 'services:' section: not a compose file");
        }
        var services = new LinkedHashMap<String, ComposeService>();
        root.path("services").fields().forEachRemaining(e -> services.put(e.getKey(), service(e.getKey(), e.getValue())));
        var volumes = new ArrayList<String>();
        root.path("volumes").fieldNames().forEachRemaining(volumes::add);
        return new ComposeFile(file, services, List.copyOf(volumes));
    }

    private static ComposeService service(String name, JsonNode node) {
        var ports = new ArrayList<Integer>();
        for (JsonNode p : node.path("ports")) {
            if (p.isObject()) {
                JsonNode published = p.path("published");
                if (published.canConvertToInt() || published.asText().matches("\\d+")) {
                    ports.add(Integer.parseInt(published.asText()));
                }
            } else {
                Matcher m = SHORT_PORT.matcher(p.asText().trim());
                if (m.matches()) {
                    // "8006" alone publishes the container port on a random host port: nothing to compare.
                    if (m.group(1) != null) {
                        ports.add(Integer.parseInt(m.group(1)));
                    }
                }
            }
        }
        var volumes = new ArrayList<String>();
        for (JsonNode v : node.path("volumes")) {
            String source = v.isObject() ? v.path("source").asText("") : v.asText().split(":", 2)[0];
            // Bind mounts start with . / ~ or are absolute; the rest are named volumes.
            if (!source.isEmpty() && !source.startsWith(".") && !source.startsWith("/") && !source.startsWith("~")
                    && v.asText().contains(":") || v.isObject() && "volume".equals(v.path("type").asText())) {
                volumes.add(source);
            }
        }
        String image = node.hasNonNull("image") ? node.get("image").asText() : null;
        return new ComposeService(name, image, node.has("build"), List.copyOf(ports),
                "host".equals(node.path("network_mode").asText()), List.copyOf(volumes));
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
