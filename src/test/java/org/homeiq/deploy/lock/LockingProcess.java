package org.homeiq.deploy.lock;

import java.nio.file.Path;
import java.time.Duration;

/** A separate JVM that takes the stack lock, says so, and holds it until its stdin closes. Test helper. */
public final class LockingProcess {
    private LockingProcess() {
    }

    public static void main(String[] args) throws Exception {
        try (StackLock lock = StackLock.acquire(Path.of(args[0]), "rebuild-wave --all", Duration.ZERO, System.out::println)) {
            System.out.println("held");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the test closes our stdin
            }
        }
    }
}
