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

    @Test
    void theStageLogAndErrorOfAFailedGate() {
        givenEngineJar()
        givenEngine(1, json: fixture('health-gate-timeout.json'), junitXml: fixture('health-gate-timeout.xml'),
            stdout: fixture('health-gate-timeout.stdout.txt').readLines())

        whenStep('homeiqHealthGate', [services: 'websocket-ingestion', gate: 'deploy-ai', timeout: '4s', stabilityWindow: '1s'])

        String message = thenFailed()
        assertEquals('homeiqHealthGate failed:\n' +
            'websocket-ingestion: timed out (failed check http): timed out after 4s: http: expected 2xx from ' +
            'http://127.0.0.1:53001/health, saw connection refused', message)
        assertEquals('Health gate on services websocket-ingestion (gate deploy-ai): FAILED', build.description)
        assertEquals('homeiq-reports/health-gate-websocket-ingestion.xml', junitCalls[0].testResults)
        thenConsoleContains('    | ERROR influx write failed: 401 unauthorized')
        assertTrue(env.HOMEIQ_LAST_GATE.startsWith('Health gate on services websocket-ingestion (gate deploy-ai): FAILED (websocket-ingestion: timed out'))
        println "----- stage log of a failed health gate -----\n${console}ERROR: ${message}\n-----"
    }
}
