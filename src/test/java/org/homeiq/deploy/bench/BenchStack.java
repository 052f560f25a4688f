package org.homeiq.deploy.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import org.homeiq.deploy.demo.Behaviour;
import org.homeiq.deploy.demo.MiniHomeIq;
import org.homeiq.deploy.docker.ProcessRunner;
import org.homeiq.deploy.model.Deployment;
import org.homeiq.deploy.model.Service;
import org.homeiq.deploy.model.load.DeploymentLoader;

/**
 * The miniature full HomeIQ for {@code bench/rollout.sh}: every inventory service as a
 * {@link MiniHomeIq} container, each starting up in 0.5–3 s and building in about 1–2 s, both
 * fixed per service (from a CRC of its name) so every version and every run behaves alike. Not a
 * test and not part of the engine's CLI: the benchmark runs it from {@code target/test-classes}.
 *
 * <pre>
 * up        DIR PROJECT OFFSET                    build and start version 1; print "service port path" lines
 * configure DIR PROJECT OFFSET VERSION [SERVICE]  rewrite every build context as VERSION (SERVICE never healthy)
 * down      DIR PROJECT OFFSET                    remove every container, image and volume of PROJECT
 * </pre>
 *
 * Each call rebuilds the stack's files from these rules alone, so no state lives between calls.
 */
public final class BenchStack {
    /** Where a service whose HomeIQ port another service already uses moves to (the plan gives 8030 and 8031 twice). */
    private static final int FIRST_SPARE_PORT = 8042;
    /** The label MiniHomeIq gives every image: the behaviour's version, here "N-PROJECT". */
    private static final String VERSION_LABEL = "org.homeiq.mini.version";
    private static final String VERSION_SEPARATOR = "-";

    private BenchStack() {
    }

    public static void main(String[] args) {
        if (args.length < 4 || !List.of("up", "configure", "down").contains(args[0])
                || args[0].equals("configure") && args.length < 5) {
            System.err.println("usage: BenchStack up|down DIR PROJECT OFFSET | configure DIR PROJECT OFFSET VERSION [NEVER_HEALTHY_SERVICE]");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        String project = args[2];
        int offset = Integer.parseInt(args[3]);
        Deployment bundled = DeploymentLoader.load(List.of());
        List<String> services = bundled.inventory().all().stream().map(Service::name).toList();
        var runner = new ProcessRunner();
        MiniHomeIq mini = MiniHomeIq.create(runner, dir, project, offset, services, portOverlay(bundled));
        switch (args[0]) {
            case "up" -> {
                configure(mini, 1, null);
                mini.start();
                for (String s : services) {
                    System.out.println(s + " " + mini.port(s) + " " + mini.deployment().inventory().get(s).health().path());
                }
            }
            case "configure" -> configure(mini, Integer.parseInt(args[4]), args.length > 5 ? args[5] : null);
            default -> {
                mini.close();
                removeSuperseded(runner, project);
            }
        }
        // The port lease (an OS file lock) goes with this JVM; nothing else is held between calls.
        System.exit(0);
    }

    private static void configure(MiniHomeIq mini, int version, String neverHealthy) {
        for (String s : mini.services()) {
            Behaviour b = behaviour(s, version, mini.projectName());
            mini.configure(s, s.equals(neverHealthy) ? b.neverGetsHealthy() : b);
        }
    }

    /**
     * Start-up 0.5–3 s; from version 2 on a build step sleeping 0.1–0.9 s (with the RUN step's own
     * cost, docker builds of about 1–2 s). Version 1 has no sleep: the stack's first build stays short.
     * The version carries the project name, so no build reuses another run's layers and every
     * image of this run can be found again.
     */
    static Behaviour behaviour(String service, int version, String project) {
        var crc = new CRC32();
        crc.update(service.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        long h = crc.getValue();
        Duration start = Duration.ofMillis(500 + h % 2501);
        Duration build = version < 2 ? Duration.ZERO : Duration.ofMillis(100 + (h / 2501) % 801);
        return Behaviour.healthy().version(version + VERSION_SEPARATOR + project).startDelay(start).buildDelay(build);
    }

    /**
     * Removes this run's images that no tag names any more: a version the next build replaced
     * under {@code :latest} keeps its layers, and the stack's close only removes tags.
     */
    private static void removeSuperseded(ProcessRunner runner, String project) {
        Duration t = Duration.ofMinutes(1);
        String[] labelled = runner.run(List.of("docker", "images", "-a", "-q", "--filter", "label=" + VERSION_LABEL), t).stdout().split("\\s+");
        var ours = new ArrayList<String>();
        var inspect = new ArrayList<>(List.of("docker", "image", "inspect", "-f", "{{.Id}} {{index .Config.Labels \"" + VERSION_LABEL + "\"}}"));
        List<String> ids = java.util.Arrays.stream(labelled).filter(id -> !id.isBlank()).distinct().toList();
        if (!ids.isEmpty()) {
            inspect.addAll(ids);
            for (String line : runner.run(inspect, t).stdout().split("\\R")) {
                if (line.endsWith(VERSION_SEPARATOR + project)) {
                    ours.add(line.substring(0, line.indexOf(' ')));
                }
            }
        }
        // Children first would need an order; a few passes let each removal free the next.
        for (int pass = 0; pass < 3 && !ours.isEmpty(); pass++) {
            var rmi = new ArrayList<>(List.of("docker", "rmi"));
            rmi.addAll(ours);
            runner.run(rmi, t);
            ours.removeIf(id -> !runner.run(List.of("docker", "image", "inspect", id), t).ok());
        }
    }

    /** The host network has one listener per port: services sharing a HomeIQ port get a spare one. */
    private static String portOverlay(Deployment bundled) {
        Set<Integer> used = new HashSet<>();
        bundled.inventory().all().forEach(s -> used.addAll(s.hostPorts()));
        Set<Integer> taken = new HashSet<>();
        var moved = new ArrayList<String>();
        int spare = FIRST_SPARE_PORT;
        for (Service s : bundled.inventory().all()) {
            if (taken.add(s.health().port())) {
                continue;
            }
            while (used.contains(spare)) {
                spare++;
            }
            used.add(spare);
            moved.add("  " + s.name() + ":\n    port: " + spare + "\n");
        }
        return moved.isEmpty() ? "" : "services:\n" + String.join("", moved);
    }
}
