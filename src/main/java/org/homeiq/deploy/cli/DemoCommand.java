package org.homeiq.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.ExitCode;
import org.homeiq.deploy.demo.Behaviour;
import org.homeiq.deploy.demo.MiniHomeIq;
import org.homeiq.deploy.docker.ProcessRunner;
import org.homeiq.deploy.model.Deployment;
import org.homeiq.deploy.model.Durations;
import org.homeiq.deploy.model.Stage;
import org.homeiq.deploy.model.Wave;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.report.PlanReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code demo}: the engine on a miniature HomeIQ on the local Docker engine. Starts one tiny
 * container per Day 1 service, runs Day 1 of the plan on it (waves and gates), then rebuilds one
 * service into a broken image to show the automatic rollback, prints the figures and removes
 * everything it made. Without Docker it says so and shows {@code plan --day 1}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run Day 1 of the plan on a miniature HomeIQ (busybox containers on 127.0.0.1, ports + offset)",
            "on the local Docker engine, break one service on purpose to show the rollback, print the report and",
            "clean up. Without Docker: says so and shows 'plan --day 1'."})
public final class DemoCommand implements Callable<Integer> {
    /** The failure drill's victim: a core service that other services depend on. */
    static final String VICTIM = "admin-api";

    @ParentCommand
    Main main;

    @Option(names = "--port-offset", paramLabel = "N", defaultValue = "24000",
            description = "Added to every HomeIQ port (default: ${DEFAULT-VALUE}; never the real ports).")
    int portOffset;

    @Option(names = "--stability-window", paramLabel = "DURATION", defaultValue = "2s", converter = Durations.Converter.class,
            description = "The gates' stability window on the miniature (the plan's 30 s would only make the demo slow; default: ${DEFAULT-VALUE}).")
    Duration stabilityWindow;

    @Override
    public Integer call() {
        Console console = main.console();
        Deployment bundled = org.homeiq.deploy.model.load.DeploymentLoader.load(List.of());
        Stage day1 = bundled.plan().day(1);
        List<String> services = Selection.serviceNames(day1.waves());
        Path dir;
        try {
            dir = Files.createTempDirectory("homeiq-demo-");
        } catch (IOException e) {
            throw new EnvironmentException("cannot create a temporary directory: " + e.getMessage(), e);
        }
        String project = "homeiq-demo-" + Long.toString(ThreadLocalRandom.current().nextLong() & 0xffffffL, 36);
        MiniHomeIq mini;
        try {
            mini = MiniHomeIq.create(new ProcessRunner(), dir.resolve(project), project, portOffset, services,
                    "gates:\n  deploy:\n    stabilityWindow: " + Durations.format(stabilityWindow) + "\n");
        } catch (EnvironmentException e) {
            delete(dir);
            console.line("demo: no Docker engine to run the miniature HomeIQ on (" + e.getMessage() + ").");
            console.line("demo: this is what Day 1 would do (plan --day 1):");
            console.line("");
            new PlanReport(bundled, List.of(day1)).text().forEach(console::line);
            return ExitCode.OK;
        }
        try {
            return run(console, mini, day1, dir);
        } finally {
            console.line("");
            console.line("demo: cleaning up (containers, images, volumes of project " + project + ", " + dir + ")");
            try {
                mini.close();
            } finally {
                delete(dir);
            }
        }
    }

    private int run(Console console, MiniHomeIq mini, Stage day1, Path dir) {
        List<String> services = mini.services();
        console.line("demo: a miniature HomeIQ of the %d Day 1 services, project %s in %s", services.size(),
                mini.projectName(), mini.projectDir());
        console.line("demo: ports are HomeIQ's + %d on 127.0.0.1 (data-api on %d); gates hold for %s",
                portOffset, mini.port("data-api"), Durations.format(stabilityWindow));
        console.line("demo: building and starting version 1 of every service ...");
        long t0 = System.nanoTime();
        mini.start();
        console.line("demo: version 1 running (%s). Now version 2 of every service, some slow to start, as Day 1 deploys it:",
                Durations.format(Duration.ofNanos(System.nanoTime() - t0)));
        long delay = 0;
        for (String s : services) {
            mini.configure(s, Behaviour.healthy().version("2").startDelay(Duration.ofMillis(delay)));
            delay = (delay + 400) % 1600;
        }
        // As Day 1 of the plan starts: a backup first (volumes, restore points, .env fingerprints).
        int backupCode = engine(console, mini, "backup", "--label", "pre-rebuild");
        Path day1Json = dir.resolve("day1.json");
        int day1Code = engine(console, mini, "rebuild-wave", "--day", "1", "--timeout", "60s", "--json", day1Json.toString());

        console.line("");
        console.line("demo: failure drill: %s version 3 never answers /health; the wave must roll it back to version 2.", VICTIM);
        mini.configure(VICTIM, Behaviour.healthy().version("3").neverGetsHealthy());
        Path drillJson = dir.resolve("drill.json");
        int drillCode = engine(console, mini, "rebuild-wave", "--services", VICTIM, "--timeout", "5s", "--json", drillJson.toString());
        String victimVersion = mini.version(VICTIM).orElse("no answer");
        console.line("demo: %s answers /version with '%s' after the rollback (expected 2)", VICTIM, victimVersion);

        JsonNode day = read(day1Json);
        JsonNode drill = read(drillJson);
        Duration plansSleeps = Duration.ZERO;
        PlanReport plan = new PlanReport(mini.deployment(), List.of(day1));
        for (Wave w : day1.waves()) {
            plansSleeps = plansSleeps.plus(plan.planSleeps(w));
        }
        Duration wall = Duration.ofMillis(day.path("wallTimeMs").asLong());
        Duration tth = Duration.ofMillis(day.path("sumTimeToHealthyMs").asLong());
        JsonNode victim = drill.path("services").path(0);
        Duration recovery = victim.hasNonNull("recoveryMs") ? Duration.ofMillis(victim.get("recoveryMs").asLong()) : null;
        console.line("");
        console.line("== demo figures (one run) ==");
        console.line("  Day 1 on the miniature HomeIQ: wall time %s for %d services in %d waves (exit %d)",
                Durations.format(wall), services.size(), day1.waves().size(), day1Code);
        console.line("  sum of the services' own time-to-healthy: %s (the plan sleeps %s for the same day)",
                Durations.format(tth), Durations.format(plansSleeps));
        console.line("  %s failure to its previous version healthy again: %s (exit %d, status '%s')", VICTIM,
                recovery == null ? "not recovered" : Durations.format(recovery), drillCode, victim.path("status").asText());
        console.line(String.format(Locale.ROOT, "demo-figures: day1WallMs=%d sumTimeToHealthyMs=%d recoveryMs=%s",
                wall.toMillis(), tth.toMillis(), recovery == null ? "none" : String.valueOf(recovery.toMillis())));
        boolean asScripted = backupCode == ExitCode.OK && day1Code == ExitCode.OK && drillCode == ExitCode.CHECK_FAILED && recovery != null && "2".equals(victimVersion);
        console.line(asScripted ? "demo: everything went as scripted." : "demo: something did not go as scripted: see above.");
        return asScripted ? ExitCode.OK : ExitCode.CHECK_FAILED;
    }

    /** Runs one engine command in this process, its output through this run's console. */
    private static int engine(Console console, MiniHomeIq mini, String... args) {
        var all = new ArrayList<>(List.of(args));
        all.addAll(1, mini.engineArgs());
        console.line("");
        console.line("$ homeiq-deploy " + String.join(" ", all));
        try (PrintStream out = ConsoleOutput.of(console::line); PrintStream err = ConsoleOutput.of(console::error)) {
            return Main.run(out, err, all.toArray(String[]::new));
        }
    }

    private static JsonNode read(Path json) {
        try {
            return new ObjectMapper().readTree(json.toFile());
        } catch (IOException e) {
            return new ObjectMapper().createObjectNode();
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
