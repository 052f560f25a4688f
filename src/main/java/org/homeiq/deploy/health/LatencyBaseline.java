package org.homeiq.deploy.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.homeiq.deploy.InputLimit;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.EnvironmentException;

/**
 * Health-endpoint latency per service, measured when things were good: the plan's "within 10% of
 * baseline" criteria compare against it. File: {@code {"services": {"data-api": {"latencyMs": 3.2}}}}.
 */
public final class LatencyBaseline {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Duration> latencies;

    public LatencyBaseline(Map<String, Duration> latencies) {
        this.latencies = Map.copyOf(latencies);
    }

    public Optional<Duration> of(String service) {
        return Optional.ofNullable(latencies.get(service));
    }

    public Map<String, Duration> all() {
        return latencies;
    }

    /** Reads a baseline file; a missing or malformed one is bad input naming the file (and line). */
    public static LatencyBaseline read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(InputLimit.BASELINE.read(file));
        } catch (NoSuchFileException e) {
            throw new BadInputException("--baseline " + file + ": file not found (make one with --save-baseline)");
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new BadInputException("--baseline " + file + ":" + line + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInputException("--baseline " + file + ": cannot read: " + e.getMessage());
        }
        if (root == null || !root.path("services").isObject()) {
            throw new BadInputException("--baseline " + file + ": expected {\"services\": {\"<name>\": {\"latencyMs\": <number>}}}");
        }
        var map = new LinkedHashMap<String, Duration>();
        var it = root.get("services").fields();
        while (it.hasNext()) {
            var e = it.next();
            JsonNode ms = e.getValue().path("latencyMs");
            if (!ms.isNumber() || ms.asDouble() < 0) {
                throw new BadInputException("--baseline " + file + ": service '" + e.getKey() + "' needs a latencyMs of 0 or more");
            }
            map.put(e.getKey(), Duration.ofNanos(Math.round(ms.asDouble() * 1_000_000)));
        }
        return new LatencyBaseline(map);
    }

    public void write(Path file) {
        var services = new TreeMap<String, Object>();
        latencies.forEach((s, d) -> services.put(s, Map.of("latencyMs", d.toNanos() / 1_000_000.0)));
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            JSON.enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), Map.of("services", services));
        } catch (IOException e) {
            throw new EnvironmentException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
