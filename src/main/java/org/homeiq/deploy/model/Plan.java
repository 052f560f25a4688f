package org.homeiq.deploy.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.homeiq.deploy.BadInputException;

/** The rebuild phases, the deployment days and the named gate settings they use. */
public final class Plan {
    private final List<Stage> phases;
    private final List<Stage> days;
    private final Map<String, GateSettings> gates;

    public Plan(List<Stage> phases, List<Stage> days, Map<String, GateSettings> gates) {
        this.phases = List.copyOf(phases);
        this.days = List.copyOf(days);
        this.gates = Map.copyOf(gates);
    }

    public List<Stage> phases() {
        return phases;
    }

    public List<Stage> days() {
        return days;
    }

    /** Phases first, then days: the order {@code plan --all} shows. */
    public List<Stage> stages() {
        var all = new ArrayList<Stage>(phases);
        all.addAll(days);
        return all;
    }

    public Map<String, GateSettings> gates() {
        return gates;
    }

    public Stage day(int number) {
        return find(days, number).orElseThrow(() -> new BadInputException(
                "no deployment day " + number + " in the plan (it has days " + numbers(days) + ")"));
    }

    public Stage phase(int number) {
        return find(phases, number).orElseThrow(() -> new BadInputException(
                "no rebuild phase " + number + " in the plan (it has phases " + numbers(phases) + ")"));
    }

    /** Every wave of every phase and day, in plan order. */
    public List<Wave> waves() {
        var all = new ArrayList<Wave>();
        for (Stage s : stages()) {
            all.addAll(s.waves());
        }
        return all;
    }

    public Wave wave(String id) {
        return waves().stream().filter(w -> w.id().equals(id)).findFirst()
                .orElseThrow(() -> new BadInputException("no wave '" + id + "' in the plan (waves: "
                        + String.join(", ", waves().stream().map(Wave::id).toList()) + ")"));
    }

    public GateSettings gate(String name) {
        GateSettings g = gates.get(name);
        if (g == null) {
            throw new BadInputException("no gate settings named '" + name + "' (the plan has: "
                    + String.join(", ", new java.util.TreeSet<>(gates.keySet())) + ")");
        }
        return g;
    }

    private static Optional<Stage> find(List<Stage> stages, int number) {
        return stages.stream().filter(s -> s.number() == number).findFirst();
    }

    private static String numbers(List<Stage> stages) {
        return String.join(", ", stages.stream().map(s -> String.valueOf(s.number())).toList());
    }
}
