package org.homeiq.pipeline

import org.junit.jupiter.api.Test

import java.nio.file.Files
import java.nio.file.Path

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertTrue

/**
 * The steps' command lines run by a real POSIX /bin/sh against the real engine: the quoting of
 * odd paths, the stderr redirect, returnStdout and the exit-code mapping with no fake in between.
 */
class RealShellTest extends RealAgentTestBase {

    @Test
    void approvalShowsThePlanTheRealEngineReturnsThroughARealShell() {
        String odd = ws.resolve("home iq's \$HOME \"dir\"").toString()
        Files.createDirectories(Path.of(odd))

        whenStep('homeiqApproval', [day: 2, projectDir: odd])

        thenSucceeded()
        String message = inputCalls[0].message
        assertTrue(message.startsWith('Day 2: External Integration Services: approve the deployment?'), message)
        assertTrue(message.contains('weather-api, sports-api, carbon-intensity, electricity-pricing, air-quality, ' +
            'calendar-service, smart-meter-service, log-aggregator'), message)
    }

    @Test
    void engineBadInputThroughARealShellIsAConfigurationErrorWithTheEnginesMessage() {
        whenStep('homeiqHealthGate', [wave: 'no-such-wave'])

        String message = thenFailed()
        assertTrue(message.startsWith('homeiqHealthGate: configuration error (engine exit 2), nothing was changed:\n'), message)
        // the engine's own error line, read back from the stderr file the redirect wrote
        String stderr = resolve('homeiq-reports/health-gate-no-such-wave.stderr.log').text
        assertTrue(stderr.contains('rror'), stderr)
        assertTrue(message.contains(stderr.readLines().findAll { it.trim() }.last().trim()), message)
        assertEquals('Health gate on wave no-such-wave: configuration error, nothing changed', build.description)
    }

    @Test
    void missingJavaIsReportedAsSuch() {
        env.HOMEIQ_JAVA = dir.resolve('no-jdk/bin/java').toString()

        whenStep('homeiqRebuildWave', [wave: 'd1-core'])

        assertTrue(thenFailed().contains('java not found on this agent (exit 127)'))
    }
}
