package org.homeiq.deploy.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.model.Deployment;
import org.homeiq.deploy.model.Stage;
import org.homeiq.deploy.model.Wave;
import org.homeiq.deploy.model.WaveMode;
import picocli.CommandLine.Option;

/**
 * Which services a Docker command works on: exactly one of {@code --services}, {@code --wave},
 * {@code --day}, {@code --phase}, {@code --all}. Used as an exclusive picocli ArgGroup.
 */
public final class Selection {
    /** Wave id given to a plain {@code --services} list. */
    public static final String SERVICES_WAVE = "services";

    @Option(names = "--services", paramLabel = "a,b,c", split = ",", description = "These services, in this order.")
    List<String> services;

    @Option(names = "--wave", paramLabel = "ID", description = "One wave of the plan (see 'plan').")
    String wave;

    @Option(names = "--day", paramLabel = "N", description = "Every wave of deployment day N, in order.")
    Integer day;

    @Option(names = "--phase", paramLabel = "N", description = "Every wave of rebuild phase N, in order.")
    Integer phase;

    @Option(names = "--all", description = "Every wave of the five deployment days, in order.")
    boolean all;

    /**
     * The waves selected, every service name checked against the inventory (bad input otherwise).
     * A {@code --services} list becomes one wave with the given mode and gate.
     */
    public List<Wave> waves(Deployment d, WaveMode servicesMode, String servicesGate) {
        List<Wave> waves;
        if (services != null) {
            var names = new ArrayList<String>();
            for (String s : services) {
                if (s.isBlank()) {
                    throw new BadInputException("--services: empty service name in '" + String.join(",", services) + "'");
                }
                names.add(s.strip());
            }
            if (names.isEmpty()) {
                throw new BadInputException("--services: no service named in '" + String.join(",", services) + "'");
            }
            if (new LinkedHashSet<>(names).size() != names.size()) {
                throw new BadInputException("--services: a service is named twice in '" + String.join(",", names) + "'");
            }
            waves = List.of(new Wave(SERVICES_WAVE, "--services " + String.join(",", names), "", servicesMode, names, servicesGate));
        } else if (wave != null) {
            waves = List.of(d.plan().wave(wave));
        } else if (day != null) {
            waves = d.plan().day(day).waves();
        } else if (phase != null) {
            waves = d.plan().phase(phase).waves();
        } else {
            waves = d.plan().days().stream().flatMap(s -> s.waves().stream()).toList();
        }
        for (Wave w : waves) {
            d.inventory().getAll(w.services());
        }
        return waves;
    }

    /**
     * For a Docker command: like {@link #waves(Deployment, WaveMode, String)}, and a plan-wide
     * selection acts on the services the project's compose file defines (the rest skipped, said once).
     */
    List<Wave> waves(DockerProject p, WaveMode servicesMode, String servicesGate) {
        List<Wave> waves = waves(p.deployment(), servicesMode, servicesGate);
        return services != null ? waves : ComposeScope.present(waves, p.composeFile(), p.console(), describe());
    }

    /** What was selected, for the stage log. */
    public String describe() {
        if (services != null) {
            return "services " + String.join(", ", services);
        }
        if (wave != null) {
            return "wave " + wave;
        }
        if (day != null) {
            return Stage.Kind.DAY.label() + " " + day;
        }
        if (phase != null) {
            return Stage.Kind.PHASE.label() + " " + phase;
        }
        return "all deployment days";
    }

    /** Every service of the waves, once each, in order. */
    public static List<String> serviceNames(List<Wave> waves) {
        var names = new LinkedHashSet<String>();
        waves.forEach(w -> names.addAll(w.services()));
        return List.copyOf(names);
    }
}
