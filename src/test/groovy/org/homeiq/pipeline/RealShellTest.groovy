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
        assertTrue(message.startsWith('homeiqHealthGate: configuration error (engine exit 2), nothing was changed: '), message)
        // the engine's own result file, read once; no stderr file any more (stderr goes to the log)
        Map result = new groovy.json.JsonSlurper().parse(resolve('homeiq-reports/health-gate-no-such-wave.result.json').toFile())
        assertEquals(2, result.exitCode)
        assertEquals(message, 'homeiqHealthGate: ' + result.failure)
        assertEquals('Health gate on wave no-such-wave: ' + result.outcome, build.description)
        assertTrue(result.outcome.startsWith('configuration error: '), result.outcome)
    }

    @Test
    void anUnfinishedRunStillLeavesItsJsonReport() {
        // exit 2 or 3 before the report: the --json says how it ended (it used to be missing)
        whenStep('homeiqHealthGate', [wave: 'no-such-wave'])
        thenFailed()
        assertTrue(Files.exists(resolve('homeiq-reports/health-gate-no-such-wave.result.json')))
    }

    @Test
    void missingJavaIsReportedAsSuch() {
        env.HOMEIQ_JAVA = dir.resolve('no-jdk/bin/java').toString()

        whenStep('homeiqRebuildWave', [wave: 'd1-core'])

        assertTrue(thenFailed().contains('java not found on this agent (exit 127)'))
    }
}
