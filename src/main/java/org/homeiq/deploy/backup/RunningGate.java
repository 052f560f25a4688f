package org.homeiq.deploy.backup;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.homeiq.deploy.docker.ContainerState;

/**
 * The minimal gate after a restore, used where the full health gate is not wired in: every
 * container running (and "healthy" when it has a HEALTHCHECK) and still so, with no restart,
 * after a short stability window. It does not probe HTTP endpoints.
 */
public final class RunningGate implements Restore.Gate {
    private final StackControl stack;
    private final Duration timeout;
    private final Duration stability;
    private final Consumer<String> log;

    public RunningGate(StackControl stack, Duration timeout, Duration stability, Consumer<String> log) {
        this.stack = stack;
        this.timeout = timeout;
        this.stability = stability;
        this.log = log;
    }

    @Override
    public boolean passes(List<String> services) {
        boolean all = true;
        for (String s : services) {
            all &= passes(s);
        }
        return all;
    }

    private boolean passes(String service) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Long stableSince = null;
        int restarts = -1;
        String seen = "no container";
        while (System.nanoTime() < deadline) {
            Optional<ContainerState> c = stack.container(service);
            if (c.isPresent()) {
                ContainerState st = c.get();
                seen = st.describe();
                boolean ok = st.running() && (!st.hasHealthcheck() || "healthy".equals(st.health()));
                if (ok && (restarts < 0 || st.restartCount() == restarts)) {
                    restarts = st.restartCount();
                    if (stableSince == null) {
                        stableSince = System.nanoTime();
                    }
                    if (System.nanoTime() - stableSince >= stability.toNanos()) {
                        log.accept("  ok  " + service + ": " + seen);
                        return true;
                    }
                } else {
                    stableSince = null;
                    restarts = ok ? st.restartCount() : -1;
                }
            }
            try {
                Thread.sleep(200); // polling interval of the probe, not a synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        log.accept("  FAILED  " + service + ": expected running" + " for " + stability.toSeconds() + " s, saw " + seen);
        return false;
    }
}
