package org.homeiq.pipeline

import groovy.json.JsonSlurper
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertTrue

/**
 * Jenkinsfile.example loaded with @Library from this checkout and run through the declarative
 * shim: every stage is exercised with the real vars/, the engine faked at the shell (except
 * `plan`, answered by the real engine) and homeiqWithDotenv mocked (it has its own tests).
 */
class JenkinsfileExampleTest extends PipelineTestBase {
    static final String DAY_STAGES = 'Day '
    DeclarativeShim shim
    List<Map> dotenvCalls = []

    @BeforeEach
    void declarative() {
        shim = new DeclarativeShim(this)
        shim.register()
        givenEngineJar()
    }

    void run(Map parameters) {
        params.putAll(parameters)
        whenJenkinsfile('Jenkinsfile.example') {
            Closure dotenv = { Map m, Closure body ->
                dotenvCalls << m
                withEnv(['HOMEIQ_ENV_FILE=/work/job@tmp/homeiq-dotenv-1/.env'], body)
            }
            helper.registerAllowedMethod('homeiqWithDotenv', [Map, Closure], dotenv)
        }
    }

    /** Engine calls without the options every call has, e.g. "health-gate --wave d1-core --gate deploy". */
    List<String> calls() {
        return engineCalls.collect { List a -> a.takeWhile { it != '--project-dir' }.join(' ') }
    }

    /** The day's waves and gates as the real engine's plan has them. */
    static List<List<String>> planWaves(int day) {
        def out = new ByteArrayOutputStream()
        assert org.homeiq.deploy.cli.Main.run(new PrintStream(out, true, 'UTF-8'), System.err,
            'plan', '--day', "${day}", '--format', 'json') == 0
        def json = new JsonSlurper().parseText(out.toString('UTF-8'))
        return json.stages[0].waves.collect { [it.id, it.gate] }
    }

    @Test
    void pipelineShapeTriggersOptionsAndParameters() {
        run([:])

        thenSucceeded()
        assertEquals(['cron(H 2 * * *)'], shim.triggers)
        assertTrue(shim.options.containsAll(['disableConcurrentBuilds', 'timestamps', 'lock(homeiq-stack)']), shim.options.toString())
        assertEquals([[resource: 'homeiq-stack']], locks)
        assertEquals(['DAY', 'NIGHTLY_REBUILD', 'DRY_RUN'], shim.parameterDefinitions*.name)
        assertEquals(['none', '1', '2', '3', '4', '5'], shim.parameterDefinitions[0].choices)
        assertEquals(['Plan'], shim.stagesRun, 'nothing selected: only the plan stage')
        assertEquals([], engineCalls)
        thenConsoleContains('Nothing selected: choose DAY or NIGHTLY_REBUILD')
        assertEquals(['pipeline: always'], shim.postsRun)
        assertEquals('homeiq-reports/**', archiveCalls.last().artifacts)
    }

    @ParameterizedTest
    @ValueSource(ints = [1, 2, 3, 4, 5])
    void eachDayRunsItsApprovalBackupAndThePlansWavesEachGated(int day) {
        run(DAY: "${day}".toString())

        thenSucceeded()
        List<String> expected = ["plan --day ${day} --format json", "plan --day ${day} --format json", 'backup --label pre-rebuild --quiesce influxdb --keep 10']
        planWaves(day).each { List w ->
            expected << "rebuild-wave --wave ${w[0]} --on-failure rollback --label pre-rebuild".toString()
            expected << "health-gate --wave ${w[0]} --gate ${w[1]}".toString()
        }
        assertEquals(expected*.toString(), calls(), 'the Jenkinsfile runs the plan\'s waves, in order, with their gates')
        assertEquals(1, inputCalls.size())
        assertEquals('homeiq-approvers', inputCalls[0].submitter)
        assertTrue(engineCalls.every { optionValue(it, '--project-dir') == '/srv/homeiq' })
        assertTrue(engineCalls.findAll { it[0] != 'plan' }.every { optionValue(it, '--env-file') == '/work/job@tmp/homeiq-dotenv-1/.env' },
            'every call that changes something gets the rendered .env')
        List skipped = shim.stagesSkipped.findAll { it.startsWith(DAY_STAGES) }
        assertEquals(4, skipped.size(), "the other days are skipped: ${skipped}")
        assertTrue(shim.stagesSkipped.contains('Nightly rebuild'))
    }

    @Test
    void aFailedGateRollsTheDayBackSkipsTheRestAndStillArchives() {
        givenEngineFails('health-gate --wave d3-ai-agents', 1,
            summary: 'gate deploy-ai on wave d3-ai-agents: ha-ai-agent-service unhealthy',
            failures: [['ha-ai-agent-service', 'logs', "2 lines match (?i)error in the last 100: 'ERROR openai: 429 rate limited'"]])

        run(DAY: '3')

        String message = thenFailed()
        assertTrue(message.contains("ha-ai-agent-service logs: 2 lines match (?i)error in the last 100"), message)
        assertEquals('rollback --label pre-rebuild --day 3', calls().last())
        assertTrue(shim.stagesSkipped.contains('d3-ml (afternoon)'))
        assertEquals(['Day 3: AI/ML services (critical): failure', 'pipeline: always'], shim.postsRun)
        assertEquals('homeiq-reports/**', archiveCalls.last().artifacts)
    }

    @Test
    void timerStartedRunIsTheNightlyRebuildWithoutApproval() {
        build.causeClasses = ['hudson.triggers.TimerTrigger$TimerTriggerCause']

        run([:])

        thenSucceeded()
        assertEquals([], inputCalls)
        assertEquals([
            'backup --label nightly --quiesce influxdb --keep 10',
            'rebuild-wave --all --no-cache --on-failure rollback --label nightly',
            'health-gate --all --gate deploy',
        ], calls())
        assertEquals(['Plan', 'Nightly rebuild', 'Approve', 'Backup', 'Rebuild all, no cache', 'Health gate, all'], shim.stagesRun)
    }

    @Test
    void manualNightlyRebuildAsksFirst() {
        params.NIGHTLY_REBUILD = true

        run([:])

        thenSucceeded()
        assertEquals(1, inputCalls.size())
        assertTrue(inputCalls[0].message.startsWith('Nightly rebuild of all services: approve the deployment?'))
    }

    @Test
    void failedNightlyRebuildRollsEverythingBackToTheNightlyRestorePoints() {
        build.causeClasses = ['hudson.triggers.TimerTrigger$TimerTriggerCause']
        givenEngineFails('rebuild-wave --all', 1, summary: 'ml-service: docker build failed (exit 1); stopped, ml-service left on its old image')

        run([:])

        thenFailed()
        assertEquals('rollback --label nightly --all', calls().last())
        assertTrue(shim.stagesSkipped.contains('Health gate, all'))
    }

    @Test
    void dryRunShowsTheDayAndChangesNothing() {
        run(DAY: '2', DRY_RUN: true)

        thenSucceeded()
        assertEquals(['plan --day 2 --format json'], calls())
        assertTrue(shim.stagesSkipped.contains('Day 2: External integrations'))
        thenConsoleContains('Dry run: would back up (label pre-rebuild), then rebuild and gate d2-integrations; nothing changed')
    }

    @Test
    void rejectedDayIsAbortedWithNothingChangedAndNoRollback() {
        approval = { Map m -> throw new FlowInterruptedException('ABORTED', new Rejection('bob')) }

        run(DAY: '4')

        thenAborted()
        assertEquals(['plan', 'plan'], engineCalls*.getAt(0))
        assertEquals([], shim.postsRun.findAll { it.endsWith('failure') })
        assertEquals('Day 4 not deployed: rejected by bob', build.description)
    }
}
