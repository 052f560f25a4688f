package org.homeiq.pipeline

import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertTrue

/**
 * What a user reads after a failed health gate: the engine's real output (stdout, JSON, JUnit
 * recorded from the engine against a real container whose /health refused connections, in
 * src/test/resources/engine-output/) as the step presents it in the stage log and error.
 */
class FailedGateConsoleTest extends PipelineTestBase {
    static String fixture(String name) {
        return new File("src/test/resources/engine-output/${name}").getText('UTF-8')
    }

    /** The result file the engine writes for the recorded run (the same report, through org.homeiq.deploy.report.StepResult). */
    static String resultOf(Map json) {
        def report = new org.homeiq.deploy.report.RunReport(json.command)
        json.services.each { Map e ->
            def entry = report.add(e.service, e.wave).failed(e.reason)
            e.checks.each { Map c -> entry.step(c.name, c.passed, c.expected, c.seen) }
            entry.status(e.status).logs(e.lastLogLines)
            e.actions.each { entry.action(it) }
        }
        report.finish(json.exitCode)
        File f = File.createTempFile('result', '.json')
        try {
            new org.homeiq.deploy.report.StepResult('health-gate', json.exitCode, report, null, null, null,
                java.nio.file.Path.of('homeiq-reports/health-gate-websocket-ingestion.xml')).write(f.toPath(), new org.homeiq.deploy.secrets.Masker())
            return f.text
        } finally {
            f.delete()
        }
    }

    @Test
    void theStageLogAndErrorOfAFailedGate() {
        givenEngineJar()
        String result = resultOf(new groovy.json.JsonSlurper().parseText(fixture('health-gate-timeout.json')))
        List stdout = fixture('health-gate-timeout.stdout.txt').readLines()
        givenShell(~/-jar /) { String script ->
            List<String> w = words(script)
            files[optionValue(w, '--result')] = result
            files[optionValue(w, '--junit')] = fixture('health-gate-timeout.xml')
            stdout.each { console << it << '\n' }
            return 1
        }

        whenStep('homeiqHealthGate', [services: 'websocket-ingestion', gate: 'deploy-ai', timeout: '4s', stabilityWindow: '1s'])

        String message = thenFailed()
        // The engine's words, as its console summary ends: the step adds only its name.
        String summary = fixture('health-gate-timeout.stdout.txt')
        String expected = summary.substring(summary.indexOf('FAILED websocket-ingestion'), summary.indexOf('\nFAILED: 1 service')).trim()
        assertTrue(message.startsWith('homeiqHealthGate: ' + expected + '\n\nFAILED: 1 service, 1 failed, wall time '), message)
        assertEquals('Health gate on services websocket-ingestion (gate deploy-ai) FAILED at services: websocket-ingestion ' +
            'connection refused (http); 0/1 healthy', build.description)
        assertEquals('homeiq-reports/health-gate-websocket-ingestion.xml', junitCalls[0].testResults)
        thenConsoleContains('    | ERROR influx write failed: 401 unauthorized')
        assertTrue(env.HOMEIQ_LAST_GATE.startsWith('Health gate on services websocket-ingestion (gate deploy-ai): FAILED at services: websocket-ingestion'),
            env.HOMEIQ_LAST_GATE)
        println "----- stage log of a failed health gate -----\n${console}ERROR: ${message}\n-----"
    }
}
