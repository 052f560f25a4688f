package org.homeiq.pipeline

import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import java.util.jar.Attributes
import java.util.jar.JarOutputStream
import java.util.jar.Manifest

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertTrue

/**
 * The steps' command lines run by a real POSIX /bin/sh, in a real workspace directory, against
 * the real engine (a launcher jar whose Class-Path is this build's classes): proves the quoting,
 * the stderr redirect, returnStdout and the exit-code mapping with no fake in between.
 */
class RealShellTest extends PipelineTestBase {
    @TempDir
    Path dir
    Path ws
    Path jar

    @BeforeEach
    void realAgent() {
        ws = Files.createDirectories(dir.resolve('work space'))
        jar = launcherJar(dir.resolve("engine's jar/homeiq-deploy.jar"))
        env.HOMEIQ_ENGINE_JAR = jar.toString()
        env.HOMEIQ_JAVA = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
        helper.registerAllowedMethod('fileExists', [String], { String p -> resolve(p).toFile().exists() })
        helper.registerAllowedMethod('readFile', [String], { String p -> resolve(p).text })
        helper.registerAllowedMethod('writeFile', [Map], { Map m ->
            Path f = resolve(m.file)
            Files.createDirectories(f.parent)
            f.text = m.text
        })
        helper.registerAllowedMethod('sh', [Map], { Map m -> realSh(m) })
    }

    Path resolve(String p) {
        return ws.resolve(p)
    }

    /** `sh` as Jenkins runs it: /bin/sh -c in the workspace; stdout returned or logged. */
    Object realSh(Map m) {
        shells << [kind: 'sh', script: m.script]
        console << "+ ${m.script}\n"
        Process p = new ProcessBuilder('/bin/sh', '-c', m.script).directory(ws.toFile()).redirectErrorStream(!m.returnStdout).start()
        String out = p.inputStream.getText('UTF-8')
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "sh did not finish: ${m.script}")
        int status = p.exitValue()
        if (m.returnStdout) {
            console << p.errorStream.getText('UTF-8')
            if (status != 0) {
                throw new PipelineError("script returned exit code ${status}")
            }
            return out
        }
        console << out
        if (m.returnStatus) {
            return status
        }
        if (status != 0) {
            throw new PipelineError("script returned exit code ${status}")
        }
        return null
    }

    /** A jar that starts the engine from this build's class path (the shaded jar comes later, at package). */
    static Path launcherJar(Path target) {
        Files.createDirectories(target.parent)
        Manifest mf = new Manifest()
        mf.mainAttributes[Attributes.Name.MANIFEST_VERSION] = '1.0'
        mf.mainAttributes[Attributes.Name.MAIN_CLASS] = 'org.homeiq.deploy.cli.Main'
        mf.mainAttributes[Attributes.Name.CLASS_PATH] = System.getProperty('java.class.path').split(File.pathSeparator)
            .collect { new File(it).toURI().toString() }.join(' ')
        new JarOutputStream(Files.newOutputStream(target), mf).close()
        return target
    }

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
