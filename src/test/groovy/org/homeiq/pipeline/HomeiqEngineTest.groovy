package org.homeiq.pipeline

import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertFalse
import static org.junit.jupiter.api.Assertions.assertTrue

/** vars/homeiqEngine: the glue every step uses (arguments, jar, command line, exit codes). */
class HomeiqEngineTest extends PipelineTestBase {

    /**
     * The engine pinned as a development version (0.1.0, no checksum), whatever release/release.sh
     * last wrote into engine.properties: these tests are about resolution, not about a release.
     */
    @BeforeEach
    void developmentVersionPinned() {
        helper.registerAllowedMethod('libraryResource', [String], { String path ->
            path == 'org/homeiq/pipeline/engine.properties' ? 'version=0.1.0\nsha256=\n' : new File("resources/${path}").getText('UTF-8')
        })
    }

    /** Runs a health-gate-like engine call the way a step does. */
    void whenEngineRuns(Map stepArgs = [:]) {
        whenPipeline { ->
            def engine = binding.getVariable('homeiqEngine')
            Map cfg = engine.configure('homeiqHealthGate', stepArgs, [wave: null])
            engine.call(step: 'homeiqHealthGate', config: cfg,
                command: ['health-gate', '--wave', 'd1-core'], report: 'health-gate-d1-core',
                outcome: 'Gate on wave d1-core')
        }
    }

    @Test
    void unixCommandLineIsExactAndQuotedForPosixSh() {
        givenUnixAgent()
        givenEngineJar()
        givenEngine(0)
        env.HOMEIQ_ENV_FILE = '/work/job@tmp/homeiq env/.env'

        whenEngineRuns(projectDir: '/srv/homeiq', projectName: 'homeiq')

        thenSucceeded()
        assertEquals("java -jar /opt/homeiq/homeiq-deploy.jar health-gate --wave d1-core " +
            "--project-dir /srv/homeiq --project-name homeiq --env-file '/work/job@tmp/homeiq env/.env' " +
            "--json homeiq-reports/health-gate-d1-core.json --junit homeiq-reports/health-gate-d1-core.xml " +
            "2>homeiq-reports/health-gate-d1-core.stderr.log", thenEngineCommand())
        assertEquals('sh', shells.last().kind)
        assertEquals('Gate on wave d1-core: OK', build.description)
    }

    @Test
    void windowsCommandLineUsesBatWithCmdQuoting() {
        givenWindowsAgent()
        givenEngineJar()
        givenEngine(0)
        env.JAVA_HOME = 'C:\\Program Files\\Java\\jdk-17'

        whenEngineRuns(projectDir: 'D:\\homeiq', envFile: 'C:\\work\\job@tmp\\100%\\.env')

        thenSucceeded()
        assertEquals('bat', shells.last().kind)
        assertEquals('@"C:\\Program Files\\Java\\jdk-17\\bin\\java.exe" -jar C:\\homeiq\\homeiq-deploy.jar ' +
            'health-gate --wave d1-core --project-dir D:\\homeiq --env-file "C:\\work\\job@tmp\\100%%\\.env" ' +
            '--json homeiq-reports/health-gate-d1-core.json --junit homeiq-reports/health-gate-d1-core.xml ' +
            '2>homeiq-reports/health-gate-d1-core.stderr.log', thenEngineCommand())
    }

    @Test
    void aQuoteThatCmdCannotCarryIsRefusedBeforeAnythingRuns() {
        givenWindowsAgent()
        givenEngineJar()
        givenEngine(0)

        whenEngineRuns(projectName: 'home"iq')

        assertTrue(thenFailed().contains('cannot pass'))
        thenNoEngineCall()
    }

    @Test
    void unknownArgumentIsRejectedByName() {
        givenEngineJar()
        givenEngine(0)

        whenEngineRuns(projectDir: '.', timout: '5m')

        String message = thenFailed()
        assertTrue(message.startsWith("homeiqHealthGate: unknown argument 'timout'"), message)
        assertTrue(message.contains('projectDir'), message)
        thenNoEngineCall()
    }

    @Test
    void exitOneFailsTheStageWithServiceAndCheckAndPublishesReports() {
        givenEngineJar()
        givenEngine(1, summary: 'wave d1-core: data-api unhealthy, rolled back to homeiq/data-api:pre-rebuild',
            failures: [['data-api', 'http', 'GET http://127.0.0.1:8006/health: expected 2xx, got 503 for 120s']],
            passed: [['influxdb', 'http']])

        whenEngineRuns()

        String message = thenFailed()
        assertEquals('homeiqHealthGate failed:\n' +
            'wave d1-core: data-api unhealthy, rolled back to homeiq/data-api:pre-rebuild\n' +
            'data-api http: GET http://127.0.0.1:8006/health: expected 2xx, got 503 for 120s', message)
        assertEquals('Gate on wave d1-core: FAILED', build.description)
        assertEquals([[testResults: 'homeiq-reports/health-gate-d1-core.xml', allowEmptyResults: true]], junitCalls)
        assertEquals('homeiq-reports/health-gate-d1-core*', archiveCalls[0].artifacts)
    }

    @Test
    void failureMessageFromTheEnginesJsonShapeNamesServiceCheckAndWhatWasDone() {
        givenEngineJar()
        // the shape org.homeiq.deploy.report.ReportFiles writes
        givenEngine(1, json: groovy.json.JsonOutput.toJson([command: 'health-gate', runId: '20261126-211500-1', exitCode: 1, result: 'failed',
            services: [
                [service: 'data-api', wave: 'd1-core', status: 'healthy', failed: false, reason: '',
                 checks: [[name: 'http', passed: true, expected: '2xx', seen: '200']], actions: []],
                [service: 'websocket-ingestion', wave: 'd1-core', status: 'unhealthy', failed: true, reason: 'http: expected 2xx, saw 503',
                 checks: [[name: 'http', passed: false, expected: '2xx', seen: '503'], [name: 'running', passed: true, expected: 'running', seen: 'running']],
                 actions: ['rolled back to homeiq/websocket-ingestion:pre-rebuild', 'gated again: healthy']],
            ]]),
            failures: [['homeiq.d1-core.websocket-ingestion', 'http', 'http: expected 2xx, saw 503']])

        whenEngineRuns()

        assertEquals('homeiqHealthGate failed:\n' +
            'websocket-ingestion: unhealthy (failed check http): http: expected 2xx, saw 503; ' +
            'the engine did: rolled back to homeiq/websocket-ingestion:pre-rebuild; gated again: healthy', thenFailed())
    }

    @Test
    void withoutJsonTheJunitNamesTheServiceNotItsWave() {
        givenEngineJar()
        givenEngine(1, json: 'not json {', failures: [['homeiq.d1-core.websocket-ingestion', 'stability', 'restarted 2 times in 30s']])

        whenEngineRuns()

        assertEquals('homeiqHealthGate failed:\nwebsocket-ingestion stability: restarted 2 times in 30s', thenFailed())
    }

    @Test
    void exitTwoIsAConfigurationErrorCarryingTheEngineMessage() {
        givenEngineJar()
        givenEngine(2, stderr: "error: unknown service 'data-apii' (plan.yaml line 12)")

        whenEngineRuns()

        String message = thenFailed()
        assertEquals("homeiqHealthGate: configuration error (engine exit 2), nothing was changed:\n" +
            "error: unknown service 'data-apii' (plan.yaml line 12)", message)
        assertEquals('Gate on wave d1-core: configuration error, nothing changed', build.description)
        thenConsoleContains("error: unknown service 'data-apii'")
    }

    @Test
    void exitThreeIsAnEnvironmentError() {
        givenEngineJar()
        givenEngine(3, stderr: 'environment error: Docker daemon not reachable at unix:///var/run/docker.sock')

        whenEngineRuns()

        String message = thenFailed()
        assertTrue(message.startsWith('homeiqHealthGate: environment error (engine exit 3'), message)
        assertTrue(message.contains('Docker daemon not reachable'), message)
        assertEquals('Gate on wave d1-core: environment error', build.description)
    }

    @Test
    void javaMissingIsAnEnvironmentErrorSayingSo() {
        givenEngineJar()
        givenEngine(127)

        whenEngineRuns()

        assertTrue(thenFailed().contains('java not found on this agent'))
    }

    // ------------------------------------------------------------------ engine resolution

    @Test
    void explicitEngineJarArgumentWinsOverEnvironment() {
        givenEngineJar()
        files['/tmp/other.jar'] = '<jar>'
        givenEngine(0)

        whenEngineRuns(engineJar: '/tmp/other.jar')

        thenSucceeded()
        assertTrue(thenEngineCommand().startsWith('java -jar /tmp/other.jar '))
    }

    @Test
    void explicitJarThatDoesNotExistIsAClearError() {
        env.HOMEIQ_ENGINE_JAR = '/nope/homeiq-deploy.jar'

        whenEngineRuns()

        assertEquals('homeiqHealthGate: the engine jar /nope/homeiq-deploy.jar (from HOMEIQ_ENGINE_JAR) does not exist on this agent',
            thenFailed())
    }

    @Test
    void cachedJarOfThePinnedVersionIsUsedWithoutDownloading() {
        files['/home/jenkins/.cache/homeiq-deploy/0.1.0/homeiq-deploy-0.1.0.jar'] = '<jar>'
        env.HOMEIQ_ENGINE_REPOSITORY = 'https://nexus.example/repository/releases'
        givenEngine(0)

        whenEngineRuns()

        thenSucceeded()
        assertEquals(['java -jar /home/jenkins/.cache/homeiq-deploy/0.1.0/homeiq-deploy-0.1.0.jar'],
            thenShellScripts().collect { it.split(' health-gate')[0] })
    }

    @Test
    void missingJarIsDownloadedFromTheRepositoryVerifiedAndCached() {
        String sha = 'a' * 64
        String cached = '/home/jenkins/.cache/homeiq-deploy/0.1.0/homeiq-deploy-0.1.0.jar'
        env.HOMEIQ_ENGINE_REPOSITORY = 'https://nexus.example/repository/releases/'
        givenShell(~/EngineFetch\.java/) { String script -> files[cached] = '<jar>'; 0 }
        givenEngine(0)

        whenEngineRuns(engineSha256: sha)

        thenSucceeded()
        assertEquals("java /work/job@tmp/EngineFetch.java " +
            "https://nexus.example/repository/releases/org/homeiq/homeiq-deploy/0.1.0/homeiq-deploy-0.1.0.jar " +
            "${sha} ${cached}", thenShellScripts()[0])
        assertTrue(files['/work/job@tmp/EngineFetch.java'].contains('class EngineFetch'))
        assertTrue(thenEngineCommand().startsWith("java -jar ${cached} "))
    }

    @Test
    void windowsDownloadUsesTheLocalAppDataCache() {
        givenWindowsAgent()
        String cached = 'C:\\Users\\jenkins\\AppData\\Local\\homeiq-deploy\\0.2.0\\homeiq-deploy-0.2.0.jar'
        env.HOMEIQ_ENGINE_REPOSITORY = 'https://nexus.example/repository/releases'
        env.HOMEIQ_ENGINE_SHA256 = 'b' * 64
        givenShell(~/EngineFetch\.java/) { String script -> files[cached] = '<jar>'; 0 }
        givenEngine(0)

        whenEngineRuns(engineVersion: '0.2.0')

        thenSucceeded()
        assertEquals("@java C:\\work\\job@tmp\\EngineFetch.java " +
            "https://nexus.example/repository/releases/org/homeiq/homeiq-deploy/0.2.0/homeiq-deploy-0.2.0.jar " +
            "${'b' * 64} ${cached}", thenShellScripts()[0])
        assertEquals('bat', shells[0].kind)
    }

    @Test
    void failedDownloadSaysEverythingThatWasTried() {
        env.HOMEIQ_ENGINE_REPOSITORY = 'https://nexus.example/repository/releases'
        givenShell(~/EngineFetch\.java/) { String script -> 1 }

        whenEngineRuns(engineSha256: 'c' * 64)

        assertEquals('homeiqHealthGate: no engine jar (org.homeiq:homeiq-deploy:0.1.0) on this agent. Tried:\n' +
            '  - engineJar argument and HOMEIQ_ENGINE_JAR: not set\n' +
            '  - agent cache: /home/jenkins/.cache/homeiq-deploy/0.1.0/homeiq-deploy-0.1.0.jar not found\n' +
            '  - download: https://nexus.example/repository/releases/org/homeiq/homeiq-deploy/0.1.0/homeiq-deploy-0.1.0.jar ' +
            'failed verification or transfer (exit 1; see the log above)', thenFailed())
        thenNoEngineCall()
    }

    @Test
    void noRepositoryConfiguredIsAClearErrorWithoutAnyDownload() {
        whenEngineRuns()

        String message = thenFailed()
        assertTrue(message.contains('download: no Maven repository configured (engineRepository or HOMEIQ_ENGINE_REPOSITORY)'), message)
        assertTrue(shells.isEmpty())
    }

    @Test
    void noPinnedChecksumMeansNoUnverifiedDownload() {
        env.HOMEIQ_ENGINE_REPOSITORY = 'https://nexus.example/repository/releases'

        whenEngineRuns()

        assertTrue(thenFailed().contains('refusing an unverified jar'))
        assertFalse(shells.any { it.script.contains('EngineFetch') })
    }
}
