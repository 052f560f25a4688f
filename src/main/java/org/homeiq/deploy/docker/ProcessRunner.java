package org.homeiq.deploy.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.homeiq.deploy.EnvironmentException;

/**
 * Runs external programs (docker, docker-compose) from argument arrays, never through a shell.
 * stdout and stderr are drained on their own threads so a chatty child never blocks on a full pipe;
 * a command past its timeout is killed (with its children) and reported as timed out. Not final:
 * unit tests stand in for the programs by overriding {@link #run(List, Duration, InputStream)}.
 */
public class ProcessRunner {
    private final Map<String, String> environment;
    private final Path workingDir;

    /** A runner that inherits this process's environment. */
    public ProcessRunner() {
        this(Map.of(), null);
    }

    /**
     * @param environment variables set (or, with a null value, removed) for every child
     * @param workingDir the children's working directory, or null for ours
     */
    public ProcessRunner(Map<String, String> environment, Path workingDir) {
        this.environment = new java.util.HashMap<>(environment);
        this.workingDir = workingDir;
    }

    /** The same runner with extra environment for the children (e.g. DOCKER_HOST). */
    public ProcessRunner withEnvironment(Map<String, String> extra) {
        var env = new java.util.HashMap<>(environment);
        env.putAll(extra);
        return new ProcessRunner(env, workingDir);
    }

    public ProcessRunner inDirectory(Path dir) {
        return new ProcessRunner(environment, dir);
    }

    /** Runs the command with no stdin and captures both outputs. */
    public ProcessResult run(List<String> command, Duration timeout) {
        return run(command, timeout, null);
    }

    /** Runs the command, feeding {@code stdin} (may be null) and capturing both outputs. */
    public ProcessResult run(List<String> command, Duration timeout, InputStream stdin) {
        var out = new ByteArrayOutputStream();
        ProcessResult r = stream(command, timeout, stdin, out);
        return new ProcessResult(command, r.exitCode(), out.toString(StandardCharsets.UTF_8), r.stderr(), r.timedOut());
    }

    /**
     * Runs the command with its stdout streamed into {@code stdout} (for large outputs such as
     * {@code docker run ... tar c}) and {@code stdin} (may be null) fed from a stream. stderr is
     * captured. The caller owns both streams; neither is closed here except the child's pipes.
     */
    public ProcessResult stream(List<String> command, Duration timeout, InputStream stdin, OutputStream stdout) {
        Process p = start(command, stdin == null);
        var err = new ByteArrayOutputStream();
        CompletableFuture<Void> outPump = pump(p.getInputStream(), stdout);
        CompletableFuture<Void> errPump = pump(p.getErrorStream(), err);
        // If the receiver of stdout fails (disk full), nobody drains the pipe any more and the
        // child would block until the timeout: end it now; the pump's failure is reported below.
        outPump.whenComplete((v, ex) -> {
            if (ex != null) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        });
        CompletableFuture<Void> inPump = stdin == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> {
                    try (OutputStream to = p.getOutputStream()) {
                        stdin.transferTo(to);
                    } catch (IOException e) {
                        // The child closed its stdin early (it failed); its exit code tells why.
                    }
                }, PUMPS);
        boolean finished = false;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                kill(p);
            }
            outPump.get(10, TimeUnit.SECONDS);
            errPump.get(10, TimeUnit.SECONDS);
            inPump.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted while running: " + String.join(" ", command), e);
        } catch (ExecutionException e) {
            kill(p);
            if (e.getCause() instanceof UncheckedIOException io) {
                throw new EnvironmentException("could not copy the output of " + String.join(" ", command)
                        + ": " + io.getCause().getMessage(), io.getCause());
            }
            throw new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            // The output pipes stayed open after the child ended (a grandchild holds them).
            kill(p);
        }
        return new ProcessResult(command, finished ? p.exitValue() : -1, "", err.toString(StandardCharsets.UTF_8), !finished);
    }

    private Process start(List<String> command, boolean noStdin) {
        var pb = new ProcessBuilder(command);
        for (var e : environment.entrySet()) {
            if (e.getValue() == null) {
                pb.environment().remove(e.getKey());
            } else {
                pb.environment().put(e.getKey(), e.getValue());
            }
        }
        if (workingDir != null) {
            pb.directory(workingDir.toFile());
        }
        if (noStdin) {
            pb.redirectInput(ProcessBuilder.Redirect.from(nullFile()));
        }
        try {
            return pb.start();
        } catch (IOException e) {
            throw new EnvironmentException("cannot run '" + command.get(0) + "': " + e.getMessage()
                    + " (is it installed and on the PATH?)", e);
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static CompletableFuture<Void> pump(InputStream from, OutputStream to) {
        return CompletableFuture.runAsync(() -> {
            try (from) {
                from.transferTo(to);
                to.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, PUMPS);
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // Pumps block on I/O, so they get their own (daemon) threads rather than the common pool.
    private static final java.util.concurrent.Executor PUMPS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "process-pump");
        t.setDaemon(true);
        return t;
    });
}
