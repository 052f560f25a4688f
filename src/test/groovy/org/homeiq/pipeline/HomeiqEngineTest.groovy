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
            Map cfg = engine.configure('homeiqHealthGate', stepArgs + [wave: 'd1-core'])
            engine.call(step: 'homeiqHealthGate', config: cfg,
                command: ['health-gate', '--wave', 'd1-core'], report: 'health-gate-d1-core',
                what: 'Gate on wave d1-core')
        }
    }

    /** The result file the real engine writes for this outcome (org.homeiq.deploy.report.StepResult). */
    static String engineResult(int exit, org.homeiq.deploy.report.RunReport report, String error) {
        File f = File.createTempFile('result', '.json')
        try {
            new org.homeiq.deploy.report.StepResult('health-gate', exit, report, error, null,
                null, report == null ? null : java.nio.file.Path.of('homeiq-reports/health-gate-d1-core.xml'))
                .write(f.toPath(), new org.homeiq.deploy.secrets.Masker())
            return f.text
        } finally {
            f.delete()
        }
    }

    void givenEngineResult(int exit, String resultJson) {
        givenShell(~/-jar /) { String script ->
            List<String> w = words(script)
            engineCalls << engineArgs(w)
            files[optionValue(w, '--result')] = resultJson
            return exit
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
        assertEquals('rm -rf homeiq-reports && ' + JAVA_JAR + ' /opt/homeiq/homeiq-deploy.jar --result homeiq-reports/health-gate-d1-core.result.json ' +
            "health-gate --wave d1-core --project-dir /srv/homeiq --project-name homeiq --env-file '/work/job@tmp/homeiq env/.env' " +
            '--json homeiq-reports/health-gate-d1-core.json --junit homeiq-reports/health-gate-d1-core.xml', thenRawEngineCommand())
        assertEquals('sh', shells.last().kind)
        assertEquals('Gate on wave d1-core: PASSED, 1/1 healthy', build.description)
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
        assertEquals('@(if exist homeiq-reports rmdir /s /q homeiq-reports) & "C:\\Program Files\\Java\\jdk-17\\bin\\java.exe" ' +
            (JVM_OPTIONS + ['-jar']).join(' ') + ' C:\\homeiq\\homeiq-deploy.jar ' +
            '--result homeiq-reports/health-gate-d1-core.result.json ' +
            'health-gate --wave d1-core --project-dir D:\\homeiq --env-file "C:\\work\\job@tmp\\100%%\\.env" ' +
            '--json homeiq-reports/health-gate-d1-core.json --junit homeiq-reports/health-gate-d1-core.xml', thenRawEngineCommand())
    }

    /** The words of an engine line (sh, or bat with its leading @) between the java command and -jar. */
    static List<String> betweenJavaAndJar(String line, String java) {
        List<String> w = words(line.startsWith('@') ? line.substring(1) : line)
        return w.subList(w.indexOf(java) + 1, w.indexOf('-jar'))
    }

    /** On the agent given, the engine line run by this shell has the file's JVM options after this java. */
    void assertTheEngineRunsWithTheJvmOptions(String shell, String java) {
        givenEngineJar()
        givenEngine(0)

        whenEngineRuns()

        thenSucceeded()
        assertEquals(shell, shells.last().kind)
        assertFalse(JVM_OPTIONS.isEmpty(), 'resources/org/homeiq/pipeline/engine-jvm.options has options')
        assertEquals(JVM_OPTIONS, betweenJavaAndJar(thenEngineCommand(), java))
    }

    @Test
    void shRunsTheEngineWithTheJvmOptionsOfTheLibrarysFileInItsOrder() {
        assertTheEngineRunsWithTheJvmOptions('sh', 'java')
    }

    @Test
    void batRunsTheEngineWithTheJvmOptionsOfTheLibrarysFileInItsOrder() {
        givenWindowsAgent()
        env.JAVA_HOME = 'C:\\Program Files\\Java\\jdk-17'
        assertTheEngineRunsWithTheJvmOptions('bat', 'C:\\Program Files\\Java\\jdk-17\\bin\\java.exe')
    }

    @Test
    void theJvmOptionsAreReadOncePerBuildAndAgent() {
        givenEngineJar()
        givenEngine(0)
        whenEngineRuns()
        whenEngineRuns()
        thenSucceeded()
        assertEquals(2, shells.count { it.script.contains(' -jar ') })
        assertEquals([JVM_OPTIONS, JVM_OPTIONS], shells.collect { betweenJavaAndJar(it.script, 'java') })
        assertEquals(1, helper.callStack.count { it.methodName == 'libraryResource' && it.args[0] == EngineCommand.JVM_OPTIONS })
    }

    @Test
    void aLineOfTheJvmOptionsFileThatIsNotAnOptionFailsTheStepNamingItBeforeTheEngineRuns() {
        helper.registerAllowedMethod('libraryResource', [String], { String path ->
            path == EngineCommand.JVM_OPTIONS ? '-XX:+UseSerialGC\n\nXX:CompileThresholdScaling=10\n' : new File("resources/${path}").getText('UTF-8')
        })
        givenEngineJar()
        givenEngine(0)

        whenEngineRuns()

        assertEquals("homeiqHealthGate: resources/org/homeiq/pipeline/engine-jvm.options line 3: 'XX:CompileThresholdScaling=10' " +
            "is not one JVM option (a line is one option starting with '-', without spaces or quotes)", thenFailed())
        thenNoEngineCall()
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
    void exitOneFailsTheStageWithTheEnginesOwnWordsAndPublishesReports() {
        givenEngineJar()
        def report = new org.homeiq.deploy.report.RunReport('health-gate --wave d1-core')
        report.add('influxdb', 'd1-core').step('http', true, '2xx', '200').status('healthy')
        report.add('data-api', 'd1-core').step('http', false, '2xx', '503 for 120s').status('timed out')
        report.finish(1)
        givenEngineResult(1, engineResult(1, report, null))

        whenEngineRuns()

        String message = thenFailed()
        assertTrue(message.startsWith('homeiqHealthGate: FAILED data-api (wave d1-core): http: expected 2xx, saw 503 for 120s\n'), message)
        assertTrue(message.contains('  check:    http'), message)
        assertEquals('Gate on wave d1-core FAILED at d1-core: data-api 503 for 120s (http); 1/2 healthy', build.description)
        assertEquals([[testResults: 'homeiq-reports/health-gate-d1-core.xml', allowEmptyResults: true]], junitCalls)
        assertEquals('homeiq-reports/health-gate-d1-core*', archiveCalls[0].artifacts)
        assertEquals(1, shells.size(), 'one shell, no second look at the reports')
    }

    @Test
    void exitTwoIsAConfigurationErrorCarryingTheEngineMessage() {
        givenEngineJar()
        givenEngineResult(2, engineResult(2, null, "unknown service 'data-apii' (plan.yaml line 12)"))

        whenEngineRuns()

        assertEquals("homeiqHealthGate: configuration error (engine exit 2), nothing was changed: unknown service 'data-apii' (plan.yaml line 12)",
            thenFailed())
        assertEquals("Gate on wave d1-core: configuration error: unknown service 'data-apii' (plan.yaml line 12)", build.description)
        assertEquals([], junitCalls)
    }

    @Test
    void exitThreeIsAnEnvironmentError() {
        givenEngineJar()
        givenEngineResult(3, engineResult(3, null, 'Docker daemon not reachable at unix:///var/run/docker.sock'))

        whenEngineRuns()

        assertEquals('homeiqHealthGate: environment error (engine exit 3): Docker daemon not reachable at unix:///var/run/docker.sock', thenFailed())
        assertEquals('Gate on wave d1-core: environment error: Docker daemon not reachable at unix:///var/run/docker.sock', build.description)
    }

    @Test
    void javaMissingIsAnEnvironmentErrorSayingSo() {
        givenEngineJar()
        givenEngine(127, noResult: true)

        whenEngineRuns()

        assertTrue(thenFailed().contains('java not found on this agent'))
    }

    @Test
    void afterTheBuildHasFailedAStepsFailureIsToldNotThrown() {
        givenEngineJar()
        givenEngineResult(2, engineResult(2, null, '.env.template line 3: no = in KEY'))
        build.currentResult = 'FAILURE'
        env.HOMEIQ_STORY_FAILURE = 'Day 1 Backup pre-rebuild: environment error: no space left on device'

        whenEngineRuns()

        assertEquals(null, thrown, 'a post-failure step does not raise a second error')
        thenConsoleContains('homeiqHealthGate: configuration error (engine exit 2), nothing was changed: .env.template line 3: no = in KEY')
        assertEquals('Day 1 Backup pre-rebuild: environment error: no space left on device; ' +
            'Gate on wave d1-core FAILED too: configuration error: .env.template line 3: no = in KEY', build.description)
    }

    @Test
    void theAgentIsLookedAtOnceForSeveralCalls() {
        givenEngineJar()
        givenEngine(0)
        int looks = 0
        helper.registerAllowedMethod('isUnix', [], { -> looks++; true })

        whenEngineRuns()
        whenEngineRuns()
        whenEngineRuns()

        thenSucceeded()
        assertEquals(1, looks, 'isUnix once per build and agent')
        assertEquals(1, helper.callStack.findAll { it.methodName == 'fileExists' }.size(), 'fileExists once per build and agent')
        assertEquals(3, helper.callStack.findAll { it.methodName == 'readFile' }.size(), 'one result file read per call')
    }

    @Test
    void anApprovalRecordWaitingForAnAgentIsWrittenAndArchivedByTheNextCall() {
        givenEngineJar()
        givenEngine(0)
        env.HOMEIQ_APPROVAL_FILE = 'approval-day-1.json'
        env.HOMEIQ_APPROVAL_RECORD = '{"approvedBy": "alice"}\n'

        whenEngineRuns()
        whenEngineRuns()

        assertEquals('{"approvedBy": "alice"}\n', files['homeiq-reports/approval-day-1.json'])
        assertEquals('homeiq-reports/health-gate-d1-core*,homeiq-reports/approval-day-1.json', archiveCalls[0].artifacts)
        assertEquals('homeiq-reports/health-gate-d1-core*', archiveCalls[1].artifacts, 'written once')
    }

    // ------------------------------------------------------------------ engine resolution

    @Test
    void explicitEngineJarArgumentWinsOverEnvironment() {
        givenEngineJar()
        files['/tmp/other.jar'] = '<jar>'
        givenEngine(0)

        whenEngineRuns(engineJar: '/tmp/other.jar')

        thenSucceeded()
        assertTrue(thenEngineCommand().startsWith(JAVA_JAR + ' /tmp/other.jar '))
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
        assertEquals(1, shells.size())
        assertEquals(JAVA_JAR + ' /home/jenkins/.cache/homeiq-deploy/0.1.0/homeiq-deploy-0.1.0.jar', thenEngineCommand().split(' health-gate')[0])
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
        assertTrue(thenEngineCommand().startsWith("${JAVA_JAR} ${cached} "))
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
