package org.homeiq.deploy.docker;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The old run path's Docker Compose: {@link ComposeCli} plus container lookups through
 * {@code compose ps}, with every container command taking turns. Goes once the health gate, waves
 * and rollback use {@link ComposeProject} and {@link DockerEngine}; the flavour enum then moves to
 * {@link ComposeCli}.
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

    private final ComposeCli cli;
    /**
     * The old run path's callers read containers through compose ({@link #containerId}); with
     * docker-compose v1 two at once race, so here everything that looks at or changes containers
     * still takes turns. {@link ComposeCli} itself no longer needs this: reads go to the engine.
     */
    private final java.util.concurrent.locks.ReentrantLock containers = new java.util.concurrent.locks.ReentrantLock();

    public Compose(ProcessRunner runner, Flavour flavour, Path projectDir, Path composeFile, String projectName, Path envFile) {
        this.cli = new ComposeCli(runner, flavour, projectDir, composeFile, projectName, envFile);
    }

    /** Finds the installed CLI, v2 first; neither → EnvironmentException (exit 3). */
    public static Flavour detect(ProcessRunner runner) {
        return ComposeCli.detect(runner);
    }

    /** The same project as a {@link ComposeProject} (the new run path's seam). */
    public ComposeCli project() {
        return cli;
    }

    public Flavour flavour() {
        return cli.flavour();
    }

    public Path projectDir() {
        return cli.projectDir();
    }

    public Path composeFile() {
        return cli.composeFile();
    }

    public Optional<String> projectName() {
        return Optional.ofNullable(cli.givenName());
    }

    /** {@code compose <global options> ARGS...} as an argument array. */
    public List<String> command(String... args) {
        return cli.command(List.of(args));
    }

    /** The service names the compose file defines. */
    public List<String> services() {
        return cli.services();
    }

    /** Builds the services' images; a failed build is returned, not thrown: it is a check result. */
    public ProcessResult build(List<String> services, boolean noCache) {
        return cli.build(services, noCache);
    }

    /** {@code up -d --no-deps}: (re)creates just these services, never their dependencies. */
    public ProcessResult up(List<String> services, boolean build) {
        return inTurn(() -> cli.up(services, build));
    }

    /** {@code up -d --no-deps --force-recreate --no-build}: a new container even if nothing changed. */
    public ProcessResult recreate(List<String> services) {
        return inTurn(() -> cli.recreate(services));
    }

    public ProcessResult restart(List<String> services) {
        return inTurn(() -> cli.restart(services));
    }

    public ProcessResult stop(List<String> services) {
        return inTurn(() -> cli.stop(services));
    }

    public ProcessResult start(List<String> services) {
        return inTurn(() -> cli.start(services));
    }

    /** The service's container id, if it has one (running or not). */
    public Optional<String> containerId(String service) {
        List<String> args = flavour() == Flavour.V2 ? List.of("ps", "-a", "-q", service) : List.of("ps", "-q", service);
        List<String> ids = Docker.lines(inTurn(() -> cli.check(Docker.QUICK, args)).stdout());
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(0));
    }

    /** {@code down} with volumes and locally built images: used to clean up the miniature stack. */
    public ProcessResult down(boolean volumes) {
        return cli.down(volumes);
    }

    private ProcessResult inTurn(java.util.function.Supplier<ProcessResult> call) {
        containers.lock();
        try {
            return call.get();
        } finally {
            containers.unlock();
        }
    }
}
