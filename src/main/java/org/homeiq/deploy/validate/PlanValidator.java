package org.homeiq.deploy.validate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.homeiq.deploy.docker.ComposeFile;
import org.homeiq.deploy.model.Inventory;
import org.homeiq.deploy.model.Service;
import org.homeiq.deploy.model.Stage;
import org.homeiq.deploy.model.Wave;
import org.homeiq.deploy.model.WaveMode;
import org.homeiq.deploy.model.load.DeploymentLoader;
import org.homeiq.deploy.validate.Finding.Severity;

/**
 * Checks the inventory, the plan and (when there is one) the project's compose file against each
 * other before anything is touched. Errors break a deployment; warnings are only odd.
 */
public final class PlanValidator {
    private final DeploymentLoader.Loaded loaded;
    private final Inventory inventory;
    private final List<Finding> findings = new ArrayList<>();

    private PlanValidator(DeploymentLoader.Loaded loaded) {
        this.loaded = loaded;
        this.inventory = loaded.deployment().inventory();
    }

    /** Every finding, errors first, each group in the order of the files. */
    public static List<Finding> validate(DeploymentLoader.Loaded loaded, Optional<ComposeFile> compose) {
        PlanValidator v = new PlanValidator(loaded);
        v.findings.addAll(loaded.notes());
        v.portClashes();
        v.unknownDependencies();
        v.cycles();
        for (List<Stage> sequence : List.of(loaded.deployment().plan().phases(), loaded.deployment().plan().days())) {
            v.order(sequence);
        }
        v.coverage();
        compose.ifPresent(v::compose);
        var sorted = new ArrayList<>(v.findings);
        sorted.sort((a, b) -> Boolean.compare(b.isError(), a.isError()));
        return sorted;
    }

    private void add(Severity severity, String code, String where, String message, String... services) {
        findings.add(new Finding(severity, code, where, message, List.of(services)));
    }

    private void portClashes() {
        var byPort = new TreeMap<Integer, List<Service>>();
        for (Service s : inventory.all()) {
            for (int port : s.hostPorts()) {
                byPort.computeIfAbsent(port, p -> new ArrayList<>()).add(s);
            }
        }
        byPort.forEach((port, owners) -> {
            if (owners.size() < 2) {
                return;
            }
            var names = owners.stream().map(Service::name).toList();
            Service second = owners.get(1);
            add(Severity.ERROR, "port-clash", loaded.at("service", second.name(), "port"),
                    "host port " + port + " is claimed by " + String.join(" and ", names)
                            + ": the second to start cannot bind it and its health check would reach the other."
                            + " Give " + second.name() + " its own port (the plan's Appendix B lists only "
                            + owners.get(0).name() + " on " + port + ")",
                    names.toArray(String[]::new));
        });
    }

    private void unknownDependencies() {
        for (Service s : inventory.all()) {
            for (int i = 0; i < s.dependsOn().size(); i++) {
                String dep = s.dependsOn().get(i);
                if (inventory.contains(dep)) {
                    continue;
                }
                String at = loaded.at("service", s.name(), "dependsOn", String.valueOf(i));
                if (dep.equals(DeploymentLoader.ALL_SERVICES)) {
                    add(Severity.WARNING, "depends-on-all", at, s.name()
                            + " depends on all services (Appendix A): it should be deployed last; the order check"
                            + " below says where the plan deploys it", s.name());
                    continue;
                }
                var candidates = inventory.all().stream().map(Service::name).filter(n -> n.startsWith(dep)).toList();
                add(Severity.ERROR, "unknown-dependency", at, s.name() + " depends on '" + dep + "', which names no service"
                        + (candidates.isEmpty() ? "" : " (ambiguous: " + String.join(", ", candidates) + ")"), s.name());
            }
        }
    }

    private void cycles() {
        var state = new HashMap<String, Integer>(); // 1 = on the path, 2 = done
        for (Service s : inventory.all()) {
            visit(s.name(), new ArrayList<>(), state);
        }
    }

    private void visit(String name, List<String> path, Map<String, Integer> state) {
        Integer st = state.get(name);
        if (st != null && st == 2) {
            return;
        }
        if (st != null && st == 1) {
            var cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
            cycle.add(name);
            add(Severity.ERROR, "dependency-cycle", loaded.at("service", name), "dependency cycle "
                    + String.join(" -> ", cycle) + ": no order can deploy these", cycle.toArray(String[]::new));
            return;
        }
        state.put(name, 1);
        path.add(name);
        for (String dep : inventory.find(name).map(Service::dependsOn).orElse(List.of())) {
            if (inventory.contains(dep)) {
                visit(dep, path, state);
            }
        }
        path.remove(path.size() - 1);
        state.put(name, 2);
    }

    /** Where a service is deployed in a sequence of stages: the first time it appears. */
    private record Slot(Stage stage, Wave wave, int waveIndex, int position) {
        String describe() {
            String when = wave.when().isEmpty() ? "" : ", " + wave.when();
            return stage.label() + " (" + wave.id() + when + ")";
        }
    }

    /** Earlier waves, days and phases count as done; a dependency deployed later breaks the order. */
    private void order(List<Stage> sequence) {
        if (sequence.isEmpty()) {
            return;
        }
        var slots = new LinkedHashMap<String, Slot>();
        int waveIndex = 0;
        for (Stage stage : sequence) {
            for (Wave wave : stage.waves()) {
                for (int i = 0; i < wave.services().size(); i++) {
                    String svc = wave.services().get(i);
                    Slot previous = slots.putIfAbsent(svc, new Slot(stage, wave, waveIndex, i));
                    if (previous != null && previous.stage() == stage) {
                        add(Severity.WARNING, "deployed-twice", loaded.at("wave", wave.id(), "services", String.valueOf(i)),
                                svc + " is deployed twice in " + stage.label() + " (" + previous.wave().id() + " and "
                                        + wave.id() + ")", svc);
                    }
                }
                waveIndex++;
            }
        }
        String kind = sequence.get(0).kind() == Stage.Kind.DAY ? "deploy-order" : "rebuild-order";
        slots.forEach((svc, slot) -> {
            Service service = inventory.get(svc);
            for (String dep : service.dependsOn()) {
                if (dep.equals(DeploymentLoader.ALL_SERVICES)) {
                    allServicesOrder(svc, slot, slots, kind);
                    continue;
                }
                Slot depSlot = slots.get(dep);
                if (depSlot == null || !inventory.get(dep).rebuilt()) {
                    continue; // not in this sequence, or only restarted: the version it runs stays the same
                }
                String at = loaded.at("wave", slot.wave().id(), "services", String.valueOf(slot.position()));
                boolean sameWave = depSlot.waveIndex() == slot.waveIndex();
                if (sameWave && slot.wave().mode() == WaveMode.PARALLEL) {
                    add(Severity.WARNING, "parallel-dependency", at, svc + " and " + dep + ", which it depends on, are in the"
                            + " same parallel wave " + slot.wave().id() + ": they are deployed side by side, so "
                            + svc + " may start before the new " + dep + " is healthy", svc, dep);
                } else if (depSlot.waveIndex() > slot.waveIndex()
                        || sameWave && depSlot.position() > slot.position()) {
                    // Days run on consecutive mornings in production: any inversion breaks. Phases are
                    // weeks apart and tested one by one: only an inversion inside one phase breaks it.
                    boolean breaks = kind.equals("deploy-order") || depSlot.stage() == slot.stage();
                    add(breaks ? Severity.ERROR : Severity.WARNING, kind, at, svc + " is " + (kind.equals("deploy-order") ? "deployed" : "rebuilt")
                            + " in " + slot.describe() + " but depends on " + dep + ", which comes later in "
                            + depSlot.describe() + ": " + svc + " would start against the old " + dep
                            + ". Move " + dep + " before " + svc, svc, dep);
                }
            }
        });
    }

    private void allServicesOrder(String svc, Slot slot, Map<String, Slot> slots, String kind) {
        var later = slots.entrySet().stream()
                .filter(e -> !e.getKey().equals(svc) && e.getValue().waveIndex() > slot.waveIndex())
                .map(Map.Entry::getKey).toList();
        if (!later.isEmpty()) {
            add(Severity.WARNING, kind, loaded.at("wave", slot.wave().id(), "services", String.valueOf(slot.position())),
                    svc + " depends on all services but " + slot.describe() + " comes before " + later.size()
                            + " of them (" + String.join(", ", later.subList(0, Math.min(4, later.size())))
                            + (later.size() > 4 ? ", ..." : "") + "); harmless for a log collector, but it should go last",
                    svc);
        }
    }

    private void coverage() {
        var plan = loaded.deployment().plan();
        var deployed = plan.days().stream().flatMap(s -> s.waves().stream()).flatMap(w -> w.services().stream()).toList();
        var rebuilt = plan.phases().stream().flatMap(s -> s.waves().stream()).flatMap(w -> w.services().stream()).toList();
        for (Service s : inventory.all()) {
            if (!plan.days().isEmpty() && !deployed.contains(s.name())) {
                add(Severity.WARNING, "never-deployed", loaded.at("service", s.name()),
                        s.name() + " is in the inventory but no deployment day deploys it", s.name());
            }
            if (!plan.phases().isEmpty() && !rebuilt.contains(s.name())) {
                add(Severity.WARNING, "never-rebuilt", loaded.at("service", s.name()),
                        s.name() + " is in the inventory but no rebuild phase rebuilds it: it is deployed on its old build",
                        s.name());
            }
        }
    }

    private void compose(ComposeFile compose) {
        String file = compose.path().toString();
        var planned = loaded.deployment().plan().waves().stream().flatMap(w -> w.services().stream()).distinct().toList();
        var absent = planned.stream().filter(s -> !compose.hasService(s)).toList();
        if (!absent.isEmpty()) {
            // A partial checkout is normal: the compose file says which services exist.
            add(Severity.INFO, "absent-in-compose", file, absent.size() + " of the plan's " + planned.size()
                    + " services are not in " + file + " (" + String.join(", ", absent) + "): --all, --day, --phase and"
                    + " --wave skip them; naming one with --services is an error", absent.toArray(String[]::new));
        }
        for (Service s : inventory.all()) {
            Optional<ComposeFile.ComposeService> cs = compose.service(s.name());
            if (cs.isEmpty()) {
                continue;
            }
            var ports = cs.get().hostPorts();
            if (!cs.get().hostNetwork() && !ports.isEmpty() && !ports.contains(s.health().port())) {
                add(Severity.ERROR, "port-mismatch", file, s.name() + " publishes " + ports + " in " + file
                        + " but the inventory checks its health on port " + s.health().port()
                        + ": fix one of them (a homeiq-deploy.yaml can set the port)", s.name());
            }
            if (s.rebuilt() && !cs.get().built()) {
                add(Severity.WARNING, "not-buildable", file, s.name() + " is rebuilt by the plan but has no 'build:' in "
                        + file + ": it will only be restarted", s.name());
            }
        }
        for (ComposeFile.ComposeService cs : compose.services()) {
            if (!inventory.contains(cs.name())) {
                add(Severity.WARNING, "not-in-inventory", file, cs.name() + " is in " + file
                        + " but not in the inventory: the engine never touches it", cs.name());
            }
        }
    }
}
