package org.homeiq.pipeline

import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertTrue

/**
 * homeiqBackup, homeiqRebuildWave, homeiqHealthGate, homeiqRollback: each step's exact engine
 * command line on Unix and Windows, its argument checks, and how a failure reads.
 */
class StepsTest extends PipelineTestBase {
    static final String U = JAVA_JAR + ' /opt/homeiq/homeiq-deploy.jar '
    static final String W = '@' + JAVA_JAR + ' C:\\homeiq\\homeiq-deploy.jar '

    @BeforeEach
    void agentWithEngine() {
        givenEngineJar()
    }

    String unixLine(String step, Map args) {
        whenStep(step, args)
        thenSucceeded()
        return thenEngineCommand()
    }

    String windowsLine(String step, Map args) {
        givenWindowsAgent()
        givenEngineJar()
        whenStep(step, args)
        thenSucceeded()
        assertEquals('bat', shells.find { it.script.contains(' -jar ') }.kind)
        return thenEngineCommand()
    }

    // ------------------------------------------------------------------ homeiqRebuildWave

    @Test
    void rebuildWaveDefaultsOnUnix() {
        assertEquals(U + 'rebuild-wave --wave d1-core --on-failure rollback --label pre-rebuild --project-dir . ' +
            '--json homeiq-reports/rebuild-wave-d1-core.json --junit homeiq-reports/rebuild-wave-d1-core.xml',
            unixLine('homeiqRebuildWave', [wave: 'd1-core']))
        assertEquals('Rebuild of wave d1-core: PASSED, 1/1 healthy', build.description)
        assertEquals('homeiq-reports/rebuild-wave-d1-core.xml', junitCalls[0].testResults)
        assertEquals('homeiq-reports/rebuild-wave-d1-core*', archiveCalls[0].artifacts)
    }

    @Test
    void rebuildWaveEveryOptionOnWindows() {
        assertEquals(W + 'rebuild-wave --services weather-api,sports-api --mode parallel --max-parallel 2 --max-builds 4 --no-cache ' +
            '--on-failure stop --label nightly --timeout 5m --stability-window 30s --project-dir D:\\homeiq ' +
            '--project-name homeiq --json homeiq-reports/rebuild-wave-weather-api-sports-api.json ' +
            '--junit homeiq-reports/rebuild-wave-weather-api-sports-api.xml',
            windowsLine('homeiqRebuildWave', [services: ['weather-api', 'sports-api'], mode: 'parallel', maxParallel: 2,
                maxBuilds: 4, noCache: true, onFailure: 'stop', label: 'nightly', timeout: '5m', stabilityWindow: '30s',
                projectDir: 'D:\\homeiq', projectName: 'homeiq']))
    }

    @Test
    void rebuildWaveSelectionsMapToTheContract() {
        whenStep('homeiqRebuildWave', [day: 3])
        whenStep('homeiqRebuildWave', [phase: 0])
        whenStep('homeiqRebuildWave', [all: true, noCache: true])
        whenStep('homeiqRebuildWave', [services: 'data-api, admin-api'])
        assertEquals([['--day', '3'], ['--phase', '0'], ['--all'], ['--services', 'data-api,admin-api']],
            engineCalls.collect { it.subList(1, it[1] == '--all' ? 2 : 3) })
        assertTrue(engineCalls[2].contains('--no-cache'))
    }

    @Test
    void rebuildWaveRejectsBadArgumentsBeforeRunningAnything() {
        Map cases = [
            [wave: 'd1-core', services: 'data-api']: 'homeiqRebuildWave: give exactly one of services, wave, day, phase, all (got services, wave)',
            [:]                                    : 'homeiqRebuildWave: give exactly one of services, wave, day, phase, all (got none)',
            [wave: 'd1-core', mode: 'sideways']    : "homeiqRebuildWave: mode must be one of sequential, parallel, got 'sideways'",
            [wave: 'd1-core', onFailure: 'pray']   : "homeiqRebuildWave: onFailure must be one of rollback, stop, continue, got 'pray'",
            [wave: 'd1-core', timeout: 'ten mins'] : "homeiqRebuildWave: timeout must be a duration like 30s, 5m, 1h, 250ms or seconds, got 'ten mins'",
            [wave: 'd1-core', maxParallel: -1]     : "homeiqRebuildWave: maxParallel must be a whole number, got '-1'",
            [wave: 'd1-core', noCache: 'yes']      : "homeiqRebuildWave: noCache must be true or false, got 'yes'",
            [day: 'Monday']                        : "homeiqRebuildWave: day must be a day number of the plan (1-5), got 'Monday'",
            [services: ' , ']                      : 'homeiqRebuildWave: services is empty',
        ]
        cases.each { Map args, String expected ->
            whenStep('homeiqRebuildWave', args)
            assertEquals(expected, thenFailed(), "for ${args}")
        }
        whenStep('homeiqRebuildWave', [wave: 'd1-core', nocache: true])
        assertTrue(thenFailed().startsWith("homeiqRebuildWave: unknown argument 'nocache'; it takes "))
        thenNoEngineCall()
    }

    @Test
    void failedWaveNamesServiceAndCheckAndRecordsTheGate() {
        givenEngineFails('rebuild-wave', 1,
            summary: 'wave d1-core stopped: websocket-ingestion unhealthy; rolled back to homeiq/websocket-ingestion:pre-rebuild (healthy again)',
            failures: [['websocket-ingestion', 'health', 'GET http://127.0.0.1:8001/health: expected 2xx, saw connection refused for 60s']],
            passed: [['data-api', 'health']])

        whenStep('homeiqRebuildWave', [wave: 'd1-core'])

        assertEquals('homeiqRebuildWave: ' +
            'wave d1-core stopped: websocket-ingestion unhealthy; rolled back to homeiq/websocket-ingestion:pre-rebuild (healthy again)\n' +
            'websocket-ingestion health: GET http://127.0.0.1:8001/health: expected 2xx, saw connection refused for 60s', thenFailed())
        assertEquals('Rebuild of wave d1-core: wave d1-core stopped: websocket-ingestion unhealthy; rolled back to homeiq/websocket-ingestion:pre-rebuild (healthy again)',
            build.description, 'the engine\'s one-line outcome')
        assertTrue(env.HOMEIQ_LAST_GATE.startsWith('Rebuild of wave d1-core: wave d1-core stopped'), env.HOMEIQ_LAST_GATE)
        assertEquals(1, junitCalls.size(), 'the Tests tab gets the per-service results of a failed wave too')
    }

    // ------------------------------------------------------------------ homeiqHealthGate

    @Test
    void healthGateEveryOptionOnUnix() {
        assertEquals(U + 'health-gate --wave d3-ai-core --gate deploy-ai --timeout 10m --stability-window 60s --log-lines 100 ' +
            "--error-pattern '(?i)error|panic' --baseline baseline.json --project-dir . " +
            '--json homeiq-reports/health-gate-d3-ai-core.json --junit homeiq-reports/health-gate-d3-ai-core.xml',
            unixLine('homeiqHealthGate', [wave: 'd3-ai-core', gate: 'deploy-ai', timeout: '10m', stabilityWindow: '60s',
                logLines: 100, errorPattern: '(?i)error|panic', baseline: 'baseline.json']))
        assertEquals('Health gate on wave d3-ai-core (gate deploy-ai): PASSED, 1/1 healthy', build.description)
        assertEquals('Health gate on wave d3-ai-core (gate deploy-ai): PASSED, 1/1 healthy', env.HOMEIQ_LAST_GATE)
    }

    @Test
    void healthGateOnWindowsQuotesThePatternForCmd() {
        assertEquals(W + 'health-gate --day 2 --error-pattern "(?i)error|100%%" --project-dir . ' +
            '--json homeiq-reports/health-gate-day-2.json --junit homeiq-reports/health-gate-day-2.xml',
            windowsLine('homeiqHealthGate', [day: 2, errorPattern: '(?i)error|100%']))
    }

    @Test
    void healthGateRejectsGarbage() {
        whenStep('homeiqHealthGate', [wave: 'd1-core', logLines: 'lots'])
        assertEquals("homeiqHealthGate: logLines must be a whole number, got 'lots'", thenFailed())
        whenStep('homeiqHealthGate', [wave: 'd1-core', stabilityWindow: '1 hour'])
        assertEquals("homeiqHealthGate: stabilityWindow must be a duration like 30s, 5m, 1h, 250ms or seconds, got '1 hour'", thenFailed())
        whenStep('homeiqHealthGate', [wave: 'd1-core', gaet: 'deploy'])
        assertTrue(thenFailed().startsWith("homeiqHealthGate: unknown argument 'gaet'"))
        thenNoEngineCall()
    }

    // ------------------------------------------------------------------ homeiqBackup

    @Test
    void backupCommandLineAndTheBackupIdItReturns() {
        givenEngineFails('backup', 0, outcome: 'backup 20261126-021500-pre-rebuild: 2 volumes, 120 MB', result: [result: 'ok', dir: '/srv/homeiq/.homeiq/backups/20261126-021500-pre-rebuild',
            manifest: [format: 1, id: '20261126-021500-pre-rebuild', label: 'pre-rebuild']])   // the engine's backup --json shape
        String line = unixLine('homeiqBackup', [volumes: ['influxdb_data', 'sqlite-data'], quiesce: 'influxdb,data-api', keep: 5])

        assertEquals(U + 'backup --label pre-rebuild --volumes influxdb_data,sqlite-data --quiesce influxdb,data-api --keep 5 ' +
            '--project-dir . --json homeiq-reports/backup-pre-rebuild.json', line)
        assertEquals('20261126-021500-pre-rebuild', returned.id)
        assertEquals('20261126-021500-pre-rebuild', env.HOMEIQ_BACKUP_ID)
        assertEquals('Backup pre-rebuild: backup 20261126-021500-pre-rebuild: 2 volumes, 120 MB', build.description)
        assertEquals([], junitCalls, 'backup writes no JUnit')
        assertEquals('homeiq-reports/backup-pre-rebuild*', archiveCalls[0].artifacts)
    }

    @Test
    void backupOnWindows() {
        assertEquals(W + 'backup --label "before day 3" --project-dir . --json homeiq-reports/backup-before-day-3.json', windowsLine('homeiqBackup', [label: 'before day 3']))
    }

    @Test
    void backupDiskFullIsAnEnvironmentError() {
        givenEngineFails('backup', 3, stderr: 'environment error: no space left on device writing /srv/homeiq/.homeiq/backups (needs 2.1 GB, 300 MB free)')

        whenStep('homeiqBackup', [keep: 'three'])
        assertEquals("homeiqBackup: keep must be a whole number, got 'three'", thenFailed())

        whenStep('homeiqBackup', [:])
        assertEquals('homeiqBackup: ' +
            'environment error: no space left on device writing /srv/homeiq/.homeiq/backups (needs 2.1 GB, 300 MB free)', thenFailed())
        assertEquals('Backup pre-rebuild: environment error: no space left on device writing /srv/homeiq/.homeiq/backups (needs 2.1 GB, 300 MB free)', build.description)
    }

    // ------------------------------------------------------------------ homeiqRollback

    @Test
    void rollbackModesOnUnix() {
        whenStep('homeiqRollback', [journal: 'latest'])
        whenStep('homeiqRollback', [label: 'pre-rebuild', day: 3])
        whenStep('homeiqRollback', [backup: '20261126-021500', restoreVolumes: true, services: 'influxdb,data-api'])
        whenStep('homeiqRollback', [backup: '20261126-021500', all: true])
        thenSucceeded()
        assertEquals([
            ['rollback', '--journal', 'latest', '--project-dir', '.', '--json', 'homeiq-reports/rollback-journal-latest.json',
             '--junit', 'homeiq-reports/rollback-journal-latest.xml'],
            ['rollback', '--label', 'pre-rebuild', '--day', '3', '--project-dir', '.', '--json', 'homeiq-reports/rollback-pre-rebuild-day-3.json',
             '--junit', 'homeiq-reports/rollback-pre-rebuild-day-3.xml'],
            ['rollback', '--backup', '20261126-021500', '--restore-volumes', '--services', 'influxdb,data-api', '--project-dir', '.',
             '--json', 'homeiq-reports/rollback-backup-20261126-021500-influxdb-data-api.json',
             '--junit', 'homeiq-reports/rollback-backup-20261126-021500-influxdb-data-api.xml'],
            ['rollback', '--backup', '20261126-021500', '--all', '--project-dir', '.',
             '--json', 'homeiq-reports/rollback-backup-20261126-021500-all.json', '--junit', 'homeiq-reports/rollback-backup-20261126-021500-all.xml'],
        ], engineCalls)
        assertEquals('Rollback of all services from backup 20261126-021500: PASSED, 1/1 healthy', build.description)
    }

    @Test
    void rollbackOnWindows() {
        assertEquals(W + 'rollback --label pre-rebuild --wave d1-core --project-dir . ' +
            '--json homeiq-reports/rollback-pre-rebuild-d1-core.json --junit homeiq-reports/rollback-pre-rebuild-d1-core.xml',
            windowsLine('homeiqRollback', [label: 'pre-rebuild', wave: 'd1-core']))
    }

    @Test
    void rollbackRejectsAmbiguousRequests() {
        Map cases = [
            [:]                                       : 'homeiqRollback: give exactly one of build, journal, label (with a selection), backup (with services or all); got none',
            [journal: 'latest', label: 'pre-rebuild'] : 'homeiqRollback: give exactly one of build, journal, label (with a selection), backup (with services or all); got journal, label',
            [journal: 'latest', wave: 'd1-core']      : 'homeiqRollback: journal takes no selection (the journal says what was changed)',
            [backup: 'b1', day: 3]                    : 'homeiqRollback: backup takes services or all, not wave/day/phase',
            [label: 'pre-rebuild', restoreVolumes: true, all: true]: 'homeiqRollback: restoreVolumes needs backup',
            [label: 'pre-rebuild']                    : 'homeiqRollback: give exactly one of services, wave, day, phase, all (got none)',
        ]
        cases.each { Map args, String expected ->
            whenStep('homeiqRollback', args)
            assertEquals(expected, thenFailed(), "for ${args}")
        }
        thenNoEngineCall()
    }

    @Test
    void rollbackThatFailsItsGateSaysWhichService() {
        givenEngineFails('rollback', 1, summary: 'rollback of journal latest: data-api back on homeiq/data-api:pre-rebuild but unhealthy',
            failures: [['data-api', 'health', 'expected 2xx from /health, got 500']])

        whenStep('homeiqRollback', [journal: 'latest'])

        assertEquals('homeiqRollback: rollback of journal latest: data-api back on homeiq/data-api:pre-rebuild but unhealthy\n' +
            'data-api health: expected 2xx from /health, got 500', thenFailed())
    }

    @Test
    void rollbackOfWhatThisBuildChanged() {
        givenEngineFails('rollback --build', 0, outcome: 'nothing to roll back: build jenkins-homeiq-42 changed nothing')
        whenStep('homeiqRollback', [build: 'jenkins-homeiq-42'])
        thenSucceeded()
        assertEquals(['rollback', '--build', 'jenkins-homeiq-42', '--project-dir', '.',
                      '--json', 'homeiq-reports/rollback-build-jenkins-homeiq-42.json', '--junit', 'homeiq-reports/rollback-build-jenkins-homeiq-42.xml'],
            engineCalls[0])
        assertEquals('Rollback of what build jenkins-homeiq-42 changed: nothing to roll back: build jenkins-homeiq-42 changed nothing', build.description)
        whenStep('homeiqRollback', [build: 'jenkins-homeiq-42', day: 1])
        assertEquals('homeiqRollback: build takes no selection (the journal says what was changed)', thenFailed())
    }

    @Test
    void theBuildsFirstCallClearsTheReportDirectoryAndEveryCallReadsOneResultFile() {
        whenStep('homeiqRebuildWave', [wave: 'd1-core'])
        whenStep('homeiqHealthGate', [wave: 'd1-core'])
        List<String> scripts = shells.findAll { it.script.contains(' -jar ') }.collect { it.script }
        assertTrue(scripts[0].startsWith('rm -rf homeiq-reports && ' + U + '--result homeiq-reports/rebuild-wave-d1-core.result.json rebuild-wave '), scripts[0])
        assertTrue(scripts[1].startsWith(U + '--result homeiq-reports/health-gate-d1-core.result.json health-gate '), scripts[1])
        assertEquals(2, shells.size(), 'one shell per step call')
    }

    @Test
    void reportDirMustStayInsideTheWorkspace() {
        whenStep('homeiqHealthGate', [wave: 'd1-core', reportDir: '../elsewhere'])
        assertEquals("homeiqHealthGate: reportDir must be a directory inside the workspace (relative, no ..), got '../elsewhere'", thenFailed())
        whenStep('homeiqHealthGate', [wave: 'd1-core', reportDir: '/'])
        thenFailed()
        thenNoEngineCall()
    }
}
