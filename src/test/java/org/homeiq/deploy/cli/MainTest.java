package org.homeiq.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void helpListsExitCodesAndExitsZero() {
        EngineRun run = EngineRun.of("--help");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("Exit codes"), run.out());
    }

    @Test
    void unknownCommandIsBadInput() {
        EngineRun run = EngineRun.of("deploy-everything");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("deploy-everything"), run.err());
    }

    @Test
    void noCommandIsBadInput() {
        EngineRun run = EngineRun.of();
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Missing command"), run.err());
    }
}
