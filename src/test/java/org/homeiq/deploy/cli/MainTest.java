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
    void anInternalErrorIsExitFourNotCheckFailed() {
        var err = new java.io.ByteArrayOutputStream();
        var console = new org.homeiq.deploy.report.Console(new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                new java.io.PrintStream(err, true), new org.homeiq.deploy.secrets.Masker());
        assertEquals(4, Main.exitCodeFor(new ArithmeticException("long overflow"), console));
        assertTrue(err.toString().contains("internal error: java.lang.ArithmeticException: long overflow"), err.toString());
        assertEquals(1, org.homeiq.deploy.ExitCode.CHECK_FAILED, "1 keeps meaning: the check failed");
    }

    @Test
    void noCommandIsBadInput() {
        EngineRun run = EngineRun.of();
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Missing command"), run.err());
    }

    /**
     * Picocli formats every description with String.format and prints a {@code [picocli WARN]}
     * line for each one that does not format (a bare {@code %} in "10% of baseline"), on
     * System.err, outside the engine's console: the help of every command must print none.
     */
    @Test
    void everyHelpTextFormatsWithoutPicocliWarnings() {
        var warnings = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = System.err;
        var rendered = new StringBuilder();
        System.setErr(new java.io.PrintStream(warnings, true));
        try {
            for (java.util.List<String> command : SecretLeakTest.leafCommands()) {
                picocli.CommandLine cl = Main.commandLine(new org.homeiq.deploy.report.Console(
                        new java.io.PrintStream(java.io.PrintStream.nullOutputStream()),
                        new java.io.PrintStream(java.io.PrintStream.nullOutputStream()), new org.homeiq.deploy.secrets.Masker()));
                for (String c : command) {
                    cl = cl.getSubcommands().get(c);
                }
                rendered.append(cl.getUsageMessage());
            }
        } finally {
            System.setErr(err);
        }
        assertTrue(rendered.toString().contains("10% of baseline"), "the help was rendered");
        assertEquals("", warnings.toString(), "picocli warnings (escape % as %% in descriptions)");
    }
}
