package org.homeiq.deploy.model.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One data file as written: the bundled inventory, the bundled plan, or a user's overlay. Every
 * field is optional here; {@link DeploymentLoader} merges layers and then checks what is required.
 * Unknown keys are rejected by Jackson, with the file and line.
 */
public final class Layer {
    public Defaults defaults;
    public LinkedHashMap<String, ServiceSpec> services;
    public LinkedHashMap<String, GateSpec> gates;
    public List<StageSpec> phases;
    public List<StageSpec> days;
    /** {@code waves: {ID: {absent: true}}}: drops a wave of an earlier layer without replacing its day. */
    public LinkedHashMap<String, WaveOverride> waves;

    public static final class Defaults {
        public String healthHost;
        public Integer portOffset;
        public String healthPath;
        public String wait;
    }

    public static final class ServiceSpec {
        public String group;
        public Integer port;
        public List<Integer> extraPorts;
        public HealthSpec health;
        public List<String> dependsOn;
        public Boolean rebuilt;
        public String image;
        public String wait;
        public String note;
        /** {@code absent: true}: this checkout has no such service; it leaves the inventory and every wave. */
        public Boolean absent;
    }

    public static final class WaveOverride {
        public Boolean absent;
    }

    public static final class HealthSpec {
        public String path;
        public Integer port;
    }

    public static final class GateSpec {
        public String description;
        public String stabilityWindow;
        public Integer logLines;
        public String errorPattern;
        public Integer latencyTolerancePercent;
    }

    public static final class StageSpec {
        public Integer number;
        public String title;
        public List<WaveSpec> waves;
    }

    public static final class WaveSpec {
        public String id;
        public String title;
        public String when;
        public String mode;
        public List<String> services;
        public String gate;
    }

    Map<String, ServiceSpec> servicesOrEmpty() {
        return services == null ? Map.of() : services;
    }
}
