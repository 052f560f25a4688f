package org.homeiq.pipeline

import org.homeiq.deploy.demo.Behaviour
import org.homeiq.deploy.demo.MiniHomeIq
import org.homeiq.deploy.e2e.DockerTest
import org.homeiq.deploy.e2e.TestStack
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertTrue

/**
 * The whole chain with no fake in it: a step from vars/ builds the command line, a real /bin/sh
 * runs the real engine, which rebuilds a service of the miniature HomeIQ on the real Docker engine;
 * the step reads the engine's real result file and fails naming the service and check, and the
 * service is back on its old version.
 */
@DockerTest
class StepsOnDockerE2ETest extends RealAgentTestBase {

    @Test
    void aWaveThatNeverGetsHealthyFailsTheStageNamingServiceAndCheckAndIsRolledBack() {
        MiniHomeIq mini = TestStack.create(dir.resolve('homeiq'), 'jk', ['data-api'])
        try {
            mini.start()
            assertEquals('1', mini.version('data-api').orElse('none'))
            mini.configure('data-api', Behaviour.healthy().version('2').neverGetsHealthy())

            whenStep('homeiqRebuildWave', [services: 'data-api', timeout: '5s', stabilityWindow: '1s',
                                           projectDir: mini.projectDir().toString(), projectName: mini.projectName()])

            String message = thenFailed()
            // The engine's own words, read from its result file: service, check, what it did.
            assertTrue(message.startsWith('homeiqRebuildWave: FAILED data-api (wave services): '), message)
            assertTrue(message.contains('  check:    http'), message)
            assertTrue(message.contains('  done:     '), message)
            assertTrue(build.description.startsWith('Rebuild of services data-api FAILED at services: data-api '), build.description)
            assertTrue(build.description.contains('(http); rolled back; 0/1 healthy'), build.description)
            assertEquals('homeiq-reports/rebuild-wave-data-api.xml', junitCalls[0].testResults)
            assertTrue(resolve('homeiq-reports/rebuild-wave-data-api.xml').text.contains('classname="homeiq.'))
            assertEquals('1', mini.version('data-api').orElse('none'), 'rolled back to the restore point')
            println "----- stage log of a failed wave on Docker -----\n${console}ERROR: ${message}\n-----"
        } finally {
            mini.close()
        }
    }
}
