package org.homeiq.deploy.docker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.homeiq.deploy.EnvironmentException;

/**
 * Docker Compose for one HomeIQ project, through whichever CLI the host has: the v2 plugin
 * ({@code docker compose}) or v1 ({@code docker-compose}). Both take the same global options
 * (project directory, compose file, project name, env file) and the same subcommands used here.
 */
public final class Compose {
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

    /** Builds can be long (a real HomeIQ AI image takes minutes); everything else is quick. */
    private static final Duration BUILD = Duration.ofMinutes(30);
    private static final Duration CHANGE = Duration.ofMinutes(5);

    private final ProcessRunner runner;
    private final Flavour flavour;
    private final Path projectDir;
    private final Path composeFile;
    private final String projectName;
    private final Path envFile;
    /**
     * docker-compose v1 lists and inspects every container of the project on up/ps; two at once
     * in one project race ("No such container" when the other recreates one). Builds, the slow
     * part, stay parallel; commands that look at or change containers take turns.
     */
    private final java.util.concurrent.locks.ReentrantLock containers = new java.util.concurrent.locks.ReentrantLock();

    public Compose(ProcessRunner runner, Flavour flavour, Path projectDir, Path composeFile, String projectName, Path envFile) {
        this.runner = runner;
        this.flavour = flavour;
        this.projectDir = projectDir;
        this.composeFile = composeFile;
        this.projectName = projectName;
        this.envFile = envFile;
    }

    /** Finds the installed CLI, v2 first; neither → EnvironmentException (exit 3). */
    public static Flavour detect(ProcessRunner runner) {
        for (Flavour f : Flavour.values()) {
            var cmd = new ArrayList<>(f.prefix());
            cmd.add("version");
            try {
                if (runner.run(cmd, Docker.QUICK).ok()) {
                    return f;
                }
            } catch (EnvironmentException notInstalled) {
                // try the next one
            }
        }
        throw new EnvironmentException("Docker Compose is not installed: neither 'docker compose' (v2) nor "
                + "'docker-compose' (v1) runs on this machine");
    }

    public Flavour flavour() {
        return flavour;
    }

    public Path projectDir() {
        return projectDir;
    }

    public Path composeFile() {
        return composeFile;
    }

    public Optional<String> projectName() {
        return Optional.ofNullable(projectName);
    }

    /** {@code compose <global options> ARGS...} as an argument array. */
    public List<String> command(String... args) {
        var cmd = new ArrayList<>(flavour.prefix());
        cmd.add("--project-directory");
        cmd.add(projectDir.toString());
        cmd.add("-f");
        cmd.add(composeFile.toString());
        if (projectName != null) {
            cmd.add("-p");
            cmd.add(projectName);
        }
        if (envFile != null) {
            cmd.add("--env-file");
            cmd.add(envFile.toString());
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The service names the compose file defines. */
    public List<String> services() {
        return Docker.lines(check(Docker.QUICK, list("config", "--services")).stdout());
    }

    /** Builds the services' images; a failed build is returned, not thrown: it is a check result. */
    public ProcessResult build(List<String> services, boolean noCache) {
        var args = new ArrayList<String>();
        args.add("build");
        if (noCache) {
            args.add("--no-cache");
        }
        args.addAll(services);
        return runner.run(command(args.toArray(String[]::new)), BUILD);
    }

    /** {@code up -d --no-deps}: (re)creates just these services, never their dependencies. */
    public ProcessResult up(List<String> services, boolean build) {
        var args = new ArrayList<>(List.of("up", "-d", "--no-deps", build ? "--build" : "--no-build"));
        args.addAll(services);
        return check(CHANGE, args);
    }

    /** {@code up -d --no-deps --force-recreate --no-build}: a new container even if nothing changed. */
    public ProcessResult recreate(List<String> services) {
        var args = new ArrayList<>(List.of("up", "-d", "--no-deps", "--force-recreate", "--no-build"));
        args.addAll(services);
        return check(CHANGE, args);
    }

    public ProcessResult restart(List<String> services) {
        return check(CHANGE, with("restart", services));
    }

    public ProcessResult stop(List<String> services) {
        return check(CHANGE, with("stop", services));
    }

    public ProcessResult start(List<String> services) {
        return check(CHANGE, with("start", services));
    }

    /** The service's container id, if it has one (running or not). */
    public Optional<String> containerId(String service) {
        List<String> args = flavour == Flavour.V2 ? List.of("ps", "-a", "-q", service) : List.of("ps", "-q", service);
        List<String> ids = Docker.lines(check(Docker.QUICK, new ArrayList<>(args)).stdout());
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(0));
    }

    /** {@code down} with volumes and locally built images: used to clean up the miniature stack. */
    public ProcessResult down(boolean volumes) {
        var args = new ArrayList<>(List.of("down", "--remove-orphans", "-t", "2"));
        if (volumes) {
            args.add("-v");
        }
        return runner.run(command(args.toArray(String[]::new)), CHANGE);
    }

    private static List<String> with(String verb, List<String> services) {
        var args = new ArrayList<String>();
        args.add(verb);
        args.addAll(services);
        return args;
    }

    private static List<String> list(String... args) {
        return List.of(args);
    }

    private ProcessResult check(Duration timeout, List<String> args) {
        ProcessResult r;
        containers.lock();
        try {
            r = runner.run(command(args.toArray(String[]::new)), timeout);
        } finally {
            containers.unlock();
        }
        if (!r.ok()) {
            throw Docker.failure(r);
        }
        return r;
    }
}
