package org.homeiq.pipeline

import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertNull
import static org.junit.jupiter.api.Assertions.assertTrue

/** The library's classes under src/org/homeiq/pipeline/, without a pipeline around them. */
class LibraryClassesTest {
    static final Map SPEC = new groovy.json.JsonSlurperClassic().parse(new File('resources/org/homeiq/pipeline/steps.json'))

    @Test
    void argumentsGetTheirDefaultsAndAreCheckedByType() {
        Map r = StepArguments.check(SPEC, 'homeiqRebuildWave', [wave: 'd1-core', maxParallel: 2])
        assertNull(r.error)
        assertEquals(['pre-rebuild', 'rollback', false, 2, '.', 'homeiq-reports'],
            [r.config.label, r.config.onFailure, r.config.noCache, r.config.maxParallel, r.config.projectDir, r.config.reportDir])
        assertEquals("homeiqRebuildWave: maxParallel must be a whole number, got 'two'",
            StepArguments.check(SPEC, 'homeiqRebuildWave', [maxParallel: 'two']).error)
        assertEquals("homeiqRebuildWave: maxBuilds must be a whole number, got 'all'",
            StepArguments.check(SPEC, 'homeiqRebuildWave', [maxBuilds: 'all']).error)
        assertEquals("homeiqDeploymentDay: maxBuilds must be a whole number, got '-1'",
            StepArguments.check(SPEC, 'homeiqDeploymentDay', [day: 3, maxBuilds: -1]).error)
        assertTrue(StepArguments.check(SPEC, 'homeiqApproval.plan', [day: 1, wav: 'x']).error
            .startsWith("homeiqApproval.plan: unknown argument 'wav'; it takes "))
        assertEquals('homeiqApproval.plan: day is required', StepArguments.check(SPEC, 'homeiqApproval.plan', [:]).error)
        assertEquals('homeiqApproval: plan must be the map homeiqApproval.plan returns ([title, waves])',
            StepArguments.check(SPEC, 'homeiqApproval', [plan: 'plan.yaml']).error, 'an own parameter replaces the common one')
    }

    @Test
    void optionsFollowTheDeclaration() {
        Map cfg = StepArguments.check(SPEC, 'homeiqBackup', [volumes: ['a', 'b'], keep: 3]).config
        assertEquals(['--label', 'pre-rebuild', '--volumes', 'a,b', '--keep', '3'], StepArguments.ownOptions(SPEC, 'homeiqBackup', cfg))
        Map sel = StepArguments.selection(SPEC, 'homeiqHealthGate', StepArguments.check(SPEC, 'homeiqHealthGate', [all: true]).config)
        assertEquals([args: ['--all'], id: 'all', text: 'all services'], sel)
    }

    @Test
    void theFirstFailureStaysAndWhatWasDoneIsAdded() {
        Map env = [HOMEIQ_DAY: '1', (BuildStory.APPROVAL): 'Day 1 approved by alice']
        env += BuildStory.after(env, 'Rebuild of wave d1-infra', [exitCode: 0, outcome: 'PASSED, 2/2 healthy'], null)
        assertEquals('Rebuild of wave d1-infra: PASSED, 2/2 healthy (Day 1 approved by alice)', BuildStory.description(env))
        env += BuildStory.after(env, 'Rebuild of wave d1-core',
            [exitCode: 1, outcome: 'FAILED at d1-core: admin-api unhealthy (docker-health); rolled back; 2/3 healthy'], null)
        env += BuildStory.after(env, 'Health gate on all services', [exitCode: 0, outcome: 'PASSED, 8/8 healthy'], null)
        env += BuildStory.after(env, "Rollback of what build jenkins-homeiq-7 changed",
            [exitCode: 0, outcome: 'PASSED, 8/8 healthy'], "build jenkins-homeiq-7's changes rolled back")
        assertEquals("Day 1 FAILED at d1-core: admin-api unhealthy (docker-health); rolled back; 2/3 healthy; " +
            "build jenkins-homeiq-7's changes rolled back, 8/8 healthy (Day 1 approved by alice)", BuildStory.description(env))
    }

    @Test
    void aRollbackThatRestoredNothingIsNotToldAsARollback() {
        Map env = [HOMEIQ_DAY: '5']
        env += BuildStory.after(env, 'Rebuild of wave d5-analytics',
            [exitCode: 1, outcome: 'FAILED at d5-analytics: energy-correlator HTTP 404 (http); rolled back; 0/2 healthy'], null)
        env += BuildStory.after(env, 'Rollback of what build jenkins-homeiq-3 changed',
            [exitCode: 0, outcome: 'nothing to roll back, 2/2 already on their restore point'], "build jenkins-homeiq-3's changes rolled back")
        assertEquals('Day 5 FAILED at d5-analytics: energy-correlator HTTP 404 (http); rolled back; 0/2 healthy; ' +
            'Rollback of what build jenkins-homeiq-3 changed: nothing to roll back, 2/2 already on their restore point',
            BuildStory.description(env))
    }

    @Test
    void aMissingResultFileIsSaidPlainly() {
        assertTrue(EngineResult.parse(null, 127).failure.contains('java not found'))
        assertTrue(EngineResult.parse('{broken', 137).failure.contains('did not finish (exit 137'))
        assertEquals('homeiqBackup: environment error: disk full', EngineResult.message('homeiqBackup',
            EngineResult.parse('{"exitCode": 3, "outcome": "x", "failure": "environment error: disk full"}', 3)))
    }

    @Test
    void commandLinesClearTheReportDirectoryOnlyWhenAsked() {
        assertEquals("rm -rf homeiq-reports && java -Xss1m -jar /o/e.jar plan '--x y'",
            EngineCommand.line(true, 'java', ['-Xss1m'], '/o/e.jar', ['plan', '--x y'], 'homeiq-reports'))
        assertEquals('(if exist homeiq-reports rmdir /s /q homeiq-reports) & java -Xss1m -jar C:\\e.jar plan',
            EngineCommand.line(false, 'java', ['-Xss1m'], 'C:\\e.jar', ['plan'], 'homeiq-reports'))
        assertEquals('java -jar /o/e.jar plan', EngineCommand.line(true, 'java', [], '/o/e.jar', ['plan'], null))
    }

    @Test
    void jvmOptionsAreOnePerLineInOrderAndAnythingElseIsNamedByLine() {
        assertEquals([options: ['-XX:+UseSerialGC', '-Dx=1']], EngineCommand.jvmOptions('\n-XX:+UseSerialGC\n# the launcher skips this\n  \n-Dx=1\n'))
        assertEquals([error: "resources/org/homeiq/pipeline/engine-jvm.options line 2: 'XX:+UseSerialGC' is not one JVM option " +
            "(a line is one option starting with '-', without spaces or quotes)"], EngineCommand.jvmOptions('-Xss1m\nXX:+UseSerialGC\n'))
        // The launcher would read two words, or strip the quotes: the steps would pass something else.
        assertTrue(EngineCommand.jvmOptions('-Xss1m -Xmx1g').error.startsWith('resources/org/homeiq/pipeline/engine-jvm.options line 1: '))
        assertTrue(EngineCommand.jvmOptions('-Dname="a"').error.contains("'-Dname=\"a\"' is not one JVM option"))
    }

    @Test
    void aDayPlanIsPlainData() {
        Map p = DayPlan.parse('{"stages": [{"title": "Day 2", "waves": [{"id": "d2-integrations", "services": ["weather-api"], "gate": "deploy"}]}]}', 2)
        assertEquals([day: '2', title: 'Day 2', waves: [[id: 'd2-integrations', title: null, when: null, mode: null,
                                                         services: ['weather-api'], gate: 'deploy']]], p)
        assertEquals(14400, DayPlan.seconds('4h'))
    }
}
