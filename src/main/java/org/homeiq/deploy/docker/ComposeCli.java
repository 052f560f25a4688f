package org.homeiq.deploy.docker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    private final Compose.Flavour flavour;
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

    /**
     * @param name the {@code -p} project name, or null for compose's own default (see {@link #projectName})
     * @param envFile the rendered .env passed as {@code --env-file}, or null
     */
    public ComposeCli(ProcessRunner runner, Compose.Flavour flavour, Path projectDir, Path composeFile, String name, Path envFile) {
        this.runner = runner;
        this.flavour = flavour;
        this.projectDir = projectDir;
        this.composeFile = composeFile;
        this.givenName = name == null || name.isBlank() ? null : name;
        this.name = projectName(name, projectDir);
        this.envFile = envFile;
    }

    /** Finds the installed CLI, v2 first; neither → EnvironmentException (exit 3). */
    public static Compose.Flavour detect(ProcessRunner runner) {
        for (Compose.Flavour f : Compose.Flavour.values()) {
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

    public Compose.Flavour flavour() {
        return flavour;
    }

    @Override
    public String name() {
        return name;
    }

    /** The name given with {@code -p}, or null when compose picks its default. */
    String givenName() {
        return givenName;
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
        var cmd = new ArrayList<>(flavour.prefix());
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
        return Docker.lines(check(QUICK, List.of("config", "--services")).stdout());
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
        return upping(with(List.of("up", "-d", "--no-deps", build ? "--build" : "--no-build"), services));
    }

    @Override
    public ProcessResult recreate(List<String> services) {
        return upping(with(List.of("up", "-d", "--no-deps", "--force-recreate", "--no-build"), services));
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

    private ProcessResult upping(List<String> args) {
        if (flavour != Compose.Flavour.V1) {
            return check(CHANGE, args);
        }
        v1Ups.lock();
        try {
            return check(CHANGE, args);
        } finally {
            v1Ups.unlock();
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
            throw Docker.failure(r);
        }
        return r;
    }
}
