package org.homeiq.deploy.cli;

import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.health.GateOptions;
import org.homeiq.deploy.model.Durations;
import org.homeiq.deploy.model.Plan;
import picocli.CommandLine.Option;

/** Options that override the plan's gate settings: a picocli mixin of the Docker commands. */
public final class GateOverrides {
    @Option(names = "--gate", paramLabel = "NAME",
            description = "Gate settings from the plan (deploy, deploy-ai, phase1, ...); default: each wave's own, 'deploy' for --services.")
    String gate;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Per-service time to become healthy (default: the service's wait in the inventory).")
    Duration timeout;

    @Option(names = "--stability-window", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "How long a service must stay healthy with no restart (default: the gate's).")
    Duration stabilityWindow;

    @Option(names = "--log-lines", paramLabel = "N",
            description = "Search the last N log lines for errors (0: do not; default: the gate's).")
    Integer logLines;

    @Option(names = "--error-pattern", paramLabel = "REGEX",
            description = "What marks an error line in the logs (default: the gate's).")
    String errorPattern;

    /** Checks the overrides before anything is touched (bad input names the option). */
    public void validate(Plan plan) {
        if (gate != null) {
            plan.gate(gate);
        }
        if (timeout != null && timeout.isZero()) {
            throw new BadInputException("--timeout: must be more than 0");
        }
        if (logLines != null && logLines < 0) {
            throw new BadInputException("--log-lines: must be 0 or more, got " + logLines);
        }
        pattern();
    }

    /** The gate for a wave whose plan gate is {@code waveGate}, with every override applied. */
    public GateOptions forWave(Plan plan, String waveGate) {
        String name = gate != null ? gate : waveGate;
        return GateOptions.from(plan.gate(name)).override(timeout, stabilityWindow, logLines, pattern());
    }

    public String gateOr(String fallback) {
        return gate != null ? gate : fallback;
    }

    private Pattern pattern() {
        if (errorPattern == null) {
            return null;
        }
        try {
            return Pattern.compile(errorPattern);
        } catch (PatternSyntaxException e) {
            throw new BadInputException("--error-pattern: not a valid regular expression: " + e.getDescription()
                    + " near index " + e.getIndex() + " in '" + errorPattern + "'");
        }
    }
}
