package org.homeiq.deploy.cli;

import java.time.Duration;
import org.homeiq.deploy.lock.StackLock;
import org.homeiq.deploy.model.Durations;
import picocli.CommandLine.Option;

/** {@code --wait-lock}: a picocli mixin of every command that changes the stack. */
public final class LockOptions {
    @Option(names = "--wait-lock", paramLabel = "DURATION", converter = Durations.Converter.class, defaultValue = "0",
            description = "When another run changes this stack, wait up to DURATION for it to finish (default: 0,"
                    + " exit 3 at once naming that run).")
    Duration waitLock;

    /**
     * Takes the stack lock under {@code stateDir} for the rest of the command: the one call a
     * changing command makes after its input is checked and before its first change.
     */
    void hold(Main main, java.nio.file.Path stateDir, String command) {
        main.holdUntilExit(StackLock.acquire(stateDir, command, waitLock, main.console()::line));
    }
}
