package org.homeiq.deploy.docker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import org.homeiq.deploy.EnvironmentException;

/**
 * {@link ComposeProject} through whichever compose CLI the host has: the v2 plugin
 * ({@code docker compose}) or v1 ({@code docker-compose}). Both take the same global options
 * (project directory, compose file, project name, env file) and the subcommands used here. Every
 * call is an argument array; nothing goes through a shell. Nothing here reads state: that is
 * {@link DockerEngine}'s.
 */
public final class ComposeCli implements ComposeProject {
    /** Which CLI: they differ only in the command prefix and in small flag details. */
    public enum Flavour {
        V2("docker", "compose"),
        V1("docker-compose");

        private final List<String> prefix;

        Flavour(String... prefix) {
            this.prefix = List.of(prefix);
        }

        public List<String> prefix() {
            return prefix;
        }
    }

    /** The labels compose puts on what it makes: the engine finds containers and volumes by them. */
    public static final String PROJECT_LABEL = "com.docker.compose.project";
    public static final String SERVICE_LABEL = "com.docker.compose.service";
    public static final String VOLUME_LABEL = "com.docker.compose.volume";
    /** {@code True} on containers of {@code compose run}: not the service's own. */
    public static final String ONE_OFF_LABEL = "com.docker.compose.oneoff";

    /** Builds can be long (a real HomeIQ AI image takes minutes); everything else is quick. */
    private static final Duration BUILD = Duration.ofMinutes(30);
    private static final Duration CHANGE = Duration.ofMinutes(5);
    static final Duration QUICK = Duration.ofSeconds(30);

    private final ProcessRunner runner;
    /** Null until the CLI is looked for: read-only commands never need to. */
    private CompletableFuture<Flavour> flavour;
    private final Path projectDir;
    private final Path composeFile;
    private final String givenName;
    private final String name;
    private final Path envFile;
    /**
     * docker-compose v1's {@code up} lists and inspects every container of the project; two at once
     * in one project race ("No such container" when the other recreates one). So v1's ups take
     * turns; builds, restarts, stops and starts (which look only at their own services) and all of
     * v2 run in parallel.
     */
    private final ReentrantLock v1Ups = new ReentrantLock();
    /** v1 ups waiting for their turn: whoever gets it takes every waiting one along in one process. */
    private final List<PendingUp> waitingUps = new ArrayList<>();

    /**
     * @param name the {@code -p} project name, or null for compose's own default (see {@link #projectName})
     * @param envFile the rendered .env passed as {@code --env-file}, or null
     */
    public ComposeCli(ProcessRunner runner, Flavour flavour, Path projectDir, Path composeFile, String name, Path envFile) {
        this(runner, CompletableFuture.completedFuture(flavour), projectDir, composeFile, name, envFile);
    }

    private ComposeCli(ProcessRunner runner, CompletableFuture<Flavour> flavour, Path projectDir, Path composeFile, String name,
            Path envFile) {
        this.runner = runner;
        this.flavour = flavour;
        this.projectDir = projectDir;
        this.composeFile = composeFile;
        this.givenName = name == null || name.isBlank() ? null : name;
        this.name = projectName(name, projectDir);
        this.envFile = envFile;
    }

    /** Compose for this project through whichever CLI is installed, looked for when first needed (see {@link #startDetecting}). */
    public static ComposeCli detecting(ProcessRunner runner, Path projectDir, Path composeFile, String name, Path envFile) {
        return new ComposeCli(runner, (CompletableFuture<Flavour>) null, projectDir, composeFile, name, envFile);
    }

    /**
     * Starts looking for the installed CLI in the background: {@code docker-compose version} alone
     * takes ~0.4 s, which now runs while the Engine API client connects. {@link #flavour()} waits for it.
     */
    public ComposeCli startDetecting() {
        lookup();
        return this;
    }

    private synchronized CompletableFuture<Flavour> lookup() {
        if (flavour == null) {
            flavour = CompletableFuture.supplyAsync(() -> detect(runner), r -> {
                Thread t = new Thread(r, "homeiq-compose-detect");
                t.setDaemon(true);
                t.start();
            });
        }
        return flavour;
    }

    /** Finds the installed CLI, v2 first; neither → EnvironmentException (exit 3). */
    public static Flavour detect(ProcessRunner runner) {
        for (Flavour f : Flavour.values()) {
            var cmd = new ArrayList<>(f.prefix());
            cmd.add("version");
            try {
                if (runner.run(cmd, QUICK).ok()) {
                    return f;
                }
            } catch (EnvironmentException notInstalled) {
                // try the next one
            }
        }
        throw new EnvironmentException("Docker Compose is not installed: neither 'docker compose' (v2) nor "
                + "'docker-compose' (v1) runs on this machine");
    }

    /**
     * The project name compose uses, as it writes it into the {@code com.docker.compose.project}
     * label: the given one, else {@code COMPOSE_PROJECT_NAME}, else the directory name in lower
     * case with only {@code [a-z0-9_-]} kept.
     */
    public static String projectName(String given, Path projectDir) {
        if (given != null && !given.isBlank()) {
            return given;
        }
        String env = System.getenv("COMPOSE_PROJECT_NAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        return projectDir.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
    }

    /** The installed CLI, waiting for the look if it is still running; none installed → EnvironmentException (exit 3). */
    public Flavour flavour() {
        try {
            return lookup().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path projectDir() {
        return projectDir;
    }

    public Path composeFile() {
        return composeFile;
    }

    /** {@code compose <global options> ARGS...} as an argument array. */
    public List<String> command(List<String> args) {
        var cmd = new ArrayList<>(flavour().prefix());
        cmd.add("--project-directory");
        cmd.add(projectDir.toString());
        cmd.add("-f");
        cmd.add(composeFile.toString());
        if (givenName != null) {
            cmd.add("-p");
            cmd.add(givenName);
        }
        if (envFile != null) {
            cmd.add("--env-file");
            cmd.add(envFile.toString());
        }
        cmd.addAll(args);
        return cmd;
    }

    @Override
    public List<String> services() {
        var names = new ArrayList<String>();
        for (String s : check(QUICK, List.of("config", "--services")).stdout().split("\\R")) {
            if (!s.isBlank()) {
                names.add(s.strip());
            }
        }
        return names;
    }

    @Override
    public ProcessResult build(List<String> services, boolean noCache) {
        var args = new ArrayList<String>();
        args.add("build");
        if (noCache) {
            args.add("--no-cache");
        }
        args.addAll(services);
        return runner.run(command(args), BUILD);
    }

    @Override
    public ProcessResult up(List<String> services) {
        return up(services, false);
    }

    /** {@code up -d --no-deps}, building first when {@code build} (the demo and tests deploy that way). */
    public ProcessResult up(List<String> services, boolean build) {
        return upping(List.of("up", "-d", "--no-deps", build ? "--build" : "--no-build"), services);
    }

    @Override
    public ProcessResult recreate(List<String> services) {
        return upping(List.of("up", "-d", "--no-deps", "--force-recreate", "--no-build"), services);
    }

    @Override
    public ProcessResult restart(List<String> services) {
        return check(CHANGE, with(List.of("restart"), services));
    }

    @Override
    public ProcessResult stop(List<String> services) {
        return check(CHANGE, with(List.of("stop"), services));
    }

    @Override
    public ProcessResult start(List<String> services) {
        return check(CHANGE, with(List.of("start"), services));
    }

    /** {@code down} with volumes and locally built images: used to clean up the miniature stack. */
    public ProcessResult down(boolean volumes) {
        var args = new ArrayList<>(List.of("down", "--remove-orphans", "-t", "2"));
        if (volumes) {
            args.add("-v");
        }
        return runner.run(command(args), CHANGE);
    }

    private ProcessResult upping(List<String> verb, List<String> services) {
        if (flavour() != Flavour.V1) {
            return check(CHANGE, with(verb, services));
        }
        var mine = new PendingUp(verb, services);
        synchronized (waitingUps) {
            waitingUps.add(mine);
        }
        v1Ups.lock();
        try {
            if (!mine.result.isDone()) {
                upTogether(takeWaiting(verb));
            }
        } finally {
            v1Ups.unlock();
        }
        try {
            return mine.result.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    /** How many ups wait for v1's turn (tests wait on it). */
    int waitingUps() {
        synchronized (waitingUps) {
            return waitingUps.size();
        }
    }

    /** The waiting ups with this verb, in the order they came, taken off the queue. */
    private List<PendingUp> takeWaiting(List<String> verb) {
        synchronized (waitingUps) {
            var batch = new ArrayList<PendingUp>();
            for (var it = waitingUps.iterator(); it.hasNext();) {
                PendingUp p = it.next();
                if (p.verb.equals(verb)) {
                    batch.add(p);
                    it.remove();
                }
            }
            return batch;
        }
    }

    /**
     * One {@code up} for every waiting service (compose recreates them in parallel: a parallel wave's
     * deploys no longer queue a second each). When it fails, each goes again alone, so a failure is
     * charged to its own service: those already up again are no-ops.
     */
    private void upTogether(List<PendingUp> batch) {
        try {
            runTogether(batch);
        } catch (RuntimeException | Error e) {
            // Whatever went wrong, no caller waits for ever on a result nobody will give.
            batch.forEach(p -> p.result.completeExceptionally(e));
            throw e;
        }
    }

    private void runTogether(List<PendingUp> batch) {
        var services = new ArrayList<String>();
        batch.forEach(p -> p.services.stream().filter(x -> !services.contains(x)).forEach(services::add));
        try {
            ProcessResult r = check(CHANGE, with(batch.get(0).verb, services));
            batch.forEach(p -> p.result.complete(r));
            return;
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).result.completeExceptionally(e);
                return;
            }
        }
        for (PendingUp p : batch) {
            try {
                p.result.complete(check(CHANGE, with(p.verb, p.services)));
            } catch (RuntimeException e) {
                p.result.completeExceptionally(e);
            }
        }
    }

    /** One caller's {@code up}, waiting for v1's turn. */
    private record PendingUp(List<String> verb, List<String> services, CompletableFuture<ProcessResult> result) {
        PendingUp(List<String> verb, List<String> services) {
            this(verb, List.copyOf(services), new CompletableFuture<>());
        }
    }

    private static List<String> with(List<String> verb, List<String> services) {
        var args = new ArrayList<>(verb);
        args.addAll(services);
        return args;
    }

    /** Runs {@code compose ARGS...}, throwing when it fails (the message carries compose's stderr). */
    ProcessResult check(Duration timeout, List<String> args) {
        ProcessResult r = runner.run(command(args), timeout);
        if (!r.ok()) {
            String why = r.timedOut() ? "no answer in time" : "exit code " + r.exitCode();
            String[] lines = r.diagnostic().split("\\R");
            throw new EnvironmentException("'" + r.commandLine() + "' failed (" + why + "): "
                    + String.join(System.lineSeparator(), java.util.Arrays.copyOf(lines, Math.min(5, lines.length))));
        }
        return r;
    }
}
