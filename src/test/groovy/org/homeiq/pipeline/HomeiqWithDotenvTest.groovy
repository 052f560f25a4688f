package org.homeiq.pipeline

import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertFalse
import static org.junit.jupiter.api.Assertions.assertNull
import static org.junit.jupiter.api.Assertions.assertTrue

/**
 * vars/homeiqWithDotenv in both modes. The agent's credential store and Credentials Binding are
 * faked: withCredentials puts the bound values into env for its block only (and fails on an
 * unknown id, as the plugin does); the fake engine's `dotenv render` writes the file from the
 * HOMEIQ_SECRET_* variables it sees at that moment, so a render outside the binding would fail.
 */
class HomeiqWithDotenvTest extends PipelineTestBase {
    static final String KEYS = 'HOME_ASSISTANT_TOKEN homeiq-home-assistant-token\n' +
        'INFLUXDB_TOKEN homeiq-influxdb-token\nAPI_KEY homeiq-api-key\n'

    /** Jenkins credentials: id -> secret text, or [file: content] for a Secret file. */
    Map credentialStore = [
        'homeiq-home-assistant-token': 'ha-secret-1',
        'homeiq-influxdb-token'      : 'influx-secret-2',
        'homeiq-api-key'             : 'api-secret-3',
        'homeiq-dotenv'              : [file: 'HOME_ASSISTANT_TOKEN=ha-file-secret\nAPI_KEY=api-file-secret\n'],
    ]
    List<Map> bindingCalls = []
    List<String> deleted = []

    @BeforeEach
    void agent() {
        givenEngineJar()
        helper.registerAllowedMethod('string', [Map], { Map m -> [kind: 'string'] + m })
        helper.registerAllowedMethod('file', [Map], { Map m -> [kind: 'file'] + m })
        helper.registerAllowedMethod('withCredentials', [List, Closure], { List b, Closure body -> withCredentials(b, body) })
        // The private directory is removed by one shell line (rm -rf, or rmdir on cmd).
        givenShell(~/^(rm -rf \S+|@?if exist \S+ rmdir \/s \/q \S+)$/) { String script ->
            List<String> w = words(script)
            String d = w[0] == 'rm' ? w[2] : w[2]
            deleted << d
            files.keySet().removeAll { it.startsWith(d) }
            0
        }
        givenShell(~/ dotenv keys /) { String script -> KEYS }
        givenShell(~/ dotenv render /) { String script -> fakeRender(script) }
    }

    Object withCredentials(List bindings, Closure body) {
        bindingCalls << [bindings: bindings]
        Map saved = new HashMap(env)
        try {
            bindings.each { Map b ->
                def c = credentialStore[b.credentialsId]
                if (c == null) {
                    throw new PipelineError("ERROR: Could not find credentials entry with ID '${b.credentialsId}'")
                }
                if (b.kind == 'file') {
                    String path = "/work/job@tmp/secretFiles/1234/${b.credentialsId}"
                    files[path] = c.file
                    env[b.variable] = path
                } else {
                    env[b.variable] = c
                }
            }
            return helper.callClosure(body)
        } finally {
            files.keySet().removeAll { it.startsWith('/work/job@tmp/secretFiles/') }
            env.clear()
            env.putAll(saved)
        }
    }

    /** `dotenv render`: the template's values, each secret from HOMEIQ_SECRET_<KEY> if bound now. */
    Object fakeRender(String script) {
        List<String> w = words(script)
        engineCalls << engineArgs(w)
        String template = optionValue(w, '--template')
        String text = files[template]
        if (text == null) {
            writeReports(script, w, [exit: 2, failure: "configuration error (engine exit 2), nothing was changed: ${template}: no such file"])
            return 2
        }
        String rendered = text.readLines().collect { String line ->
            String key = line.split('=')[0]
            env['HOMEIQ_SECRET_' + key] != null ? "${key}=${env['HOMEIQ_SECRET_' + key]}" : line
        }.join('\n')
        files[optionValue(w, '--out')] = rendered
        writeReports(script, w, [exit: 0, outcome: 'dotenv: wrote 5 keys'])
        return 0
    }

    /** What the body saw, written by pipelines/with-dotenv.groovy. */
    Map<String, String> seen() {
        return files.findAll { k, v -> k.startsWith('seen/') }.collectEntries { k, v -> [k.substring(5), v] }
    }

    void whenWithDotenv(Map args, String body = 'ok') {
        files['.env.template'] = 'HOME_ASSISTANT_URL=http://ha:8123\nHOME_ASSISTANT_TOKEN=\nINFLUXDB_TOKEN=\nAPI_KEY=\nLOG_LEVEL=INFO'
        params.dotenvArgs = args
        params.body = body
        whenJenkinsfile('src/test/resources/pipelines/with-dotenv.groovy')
    }

    String renderedPath() {
        String line = shells*.script.find { it.contains(' dotenv render ') }
        return optionValue(words(line), '--out')
    }

    // ------------------------------------------------------------------ per-key mode

    @Test
    void perKeyModeBindsEachSecretByConventionRendersInsideTheBindingAndRemovesTheFile() {
        whenWithDotenv([:])

        thenSucceeded()
        assertEquals('body result', returned)
        assertEquals([[kind: 'string', credentialsId: 'homeiq-home-assistant-token', variable: 'HOMEIQ_SECRET_HOME_ASSISTANT_TOKEN'],
                      [kind: 'string', credentialsId: 'homeiq-influxdb-token', variable: 'HOMEIQ_SECRET_INFLUXDB_TOKEN'],
                      [kind: 'string', credentialsId: 'homeiq-api-key', variable: 'HOMEIQ_SECRET_API_KEY']],
            bindingCalls[0].bindings)
        String out = renderedPath()
        assertTrue(out ==~ /\/work\/job@tmp\/homeiq-dotenv-[0-9a-f-]{36}\/\.env/, out)
        List<String> scripts = thenShellScripts()
        assertEquals(JAVA_JAR + ' /opt/homeiq/homeiq-deploy.jar --result homeiq-reports/dotenv-keys.result.json ' +
            'dotenv keys --template .env.template --project-dir .', scripts[0])
        assertEquals(("rm -rf homeiq-reports && ${JAVA_JAR} /opt/homeiq/homeiq-deploy.jar --result homeiq-reports/dotenv-render.result.json " +
            "dotenv render --template .env.template --out ${out} --project-dir .").toString(), scripts[1].toString())
        // The body got the path, the rendered values, and the steps inside it pass the file on.
        assertEquals(out, seen().envFile.toString())
        assertEquals('HOME_ASSISTANT_URL=http://ha:8123\nHOME_ASSISTANT_TOKEN=ha-secret-1\nINFLUXDB_TOKEN=influx-secret-2\n' +
            'API_KEY=api-secret-3\nLOG_LEVEL=INFO', seen().content)
        assertTrue(scripts[2].contains(" health-gate --wave d1-core --project-dir . --env-file ${out} "), scripts[2])
        // No value on any command line.
        ['ha-secret-1', 'influx-secret-2', 'api-secret-3'].each { s -> assertFalse(scripts.any { it.contains(s) }, s) }
        // Gone afterwards, with the bindings.
        assertEquals([out.replace('/.env', '')], deleted)
        assertNull(files[out])
        assertNull(env.HOMEIQ_ENV_FILE)
        assertFalse(env.keySet().any { it.startsWith('HOMEIQ_SECRET_') })
        thenConsoleContains('homeiqWithDotenv: 3 secret(s) from credentials: HOME_ASSISTANT_TOKEN <- homeiq-home-assistant-token')
        assertEquals('Health gate on wave d1-core: PASSED, 1/1 healthy', build.description, 'rendering is a means, not the story')
    }

    @Test
    void aCredentialIdCanBeOverriddenPerKey() {
        credentialStore['shared-openai-and-api'] = 'shared-secret'

        whenWithDotenv(credentials: [API_KEY: 'shared-openai-and-api'], variable: 'DOTENV')

        thenSucceeded()
        assertEquals('shared-openai-and-api', bindingCalls[0].bindings.find { it.variable == 'HOMEIQ_SECRET_API_KEY' }.credentialsId)
        assertTrue(seen().content.contains('API_KEY=shared-secret'), seen().content)
        assertEquals(seen().envFile.toString(), seen().ownVariable.toString())
    }

    @Test
    void anOverrideForAKeyTheTemplateDoesNotListFailsBeforeAnythingIsBound() {
        whenWithDotenv(credentials: [OPENAI_APIKEY: 'x'])

        String message = thenFailed()
        assertTrue(message.startsWith('homeiqWithDotenv: credentials names OPENAI_APIKEY, which the template does not list'), message)
        assertTrue(bindingCalls.isEmpty())
        assertTrue(seen().isEmpty(), 'body must not run')
    }

    @Test
    void aMissingCredentialFailsWithoutRunningTheBodyAndLeavesNoFile() {
        credentialStore.remove('homeiq-api-key')

        whenWithDotenv([:])

        assertTrue(thenFailed().contains("Could not find credentials entry with ID 'homeiq-api-key'"))
        assertTrue(seen().isEmpty())
        assertEquals(1, deleted.size())
        assertFalse(files.keySet().any { it.contains('homeiq-dotenv-') })
    }

    @Test
    void aBadTemplateIsAConfigurationErrorAndTheBodyDoesNotRun() {
        givenShell(~/ dotenv render /) { String script ->
            writeReports(script, words(script), [exit: 2,
                failure: 'configuration error (engine exit 2), nothing was changed: .env.template:3: no \'=\' (expected KEY=VALUE)'])
            2
        }

        whenWithDotenv([:])

        String message = thenFailed()
        assertTrue(message.startsWith('homeiqWithDotenv: configuration error (engine exit 2), nothing was changed'), message)
        assertTrue(message.contains('.env.template:3: no'), message)
        assertTrue(seen().isEmpty())
        assertEquals(1, deleted.size())
    }

    // ------------------------------------------------------------------ the file is removed however the body ends

    @Test
    void theFileIsGoneAfterTheBodyThrows() {
        whenWithDotenv([:], 'fails')

        assertEquals('compose up failed', thenFailed())
        String out = seen().envFile
        assertTrue(seen().content.contains('API_KEY=api-secret-3'), 'the file existed while the body ran')
        assertNull(files[out])
        assertEquals([out.replace('/.env', '')], deleted)
    }

    @Test
    void theFileIsGoneAfterAnAbort() {
        whenWithDotenv([:], 'aborted')

        thenAborted()
        assertTrue(seen().content.contains('API_KEY=api-secret-3'))
        assertNull(files[seen().envFile])
        assertEquals(1, deleted.size())
    }

    // ------------------------------------------------------------------ file mode

    @Test
    void fileModeBindsTheSecretFileRendersFromItAndSaysWhatJenkinsCannotMask() {
        whenWithDotenv(credentialsId: 'homeiq-dotenv')

        thenSucceeded()
        assertEquals([[kind: 'file', credentialsId: 'homeiq-dotenv', variable: 'HOMEIQ_DOTENV_SOURCE']], bindingCalls[0].bindings)
        List<String> scripts = thenShellScripts()
        assertFalse(scripts.any { it.contains(' dotenv keys ') }, 'file mode needs no key listing')
        String out = renderedPath()
        assertTrue(scripts[0].startsWith('rm -rf homeiq-reports && ' + JAVA_JAR + ' /opt/homeiq/homeiq-deploy.jar --result homeiq-reports/dotenv-render.result.json dotenv render ' +
            "--template /work/job@tmp/secretFiles/1234/homeiq-dotenv --out ${out} "), scripts[0])
        assertEquals('HOME_ASSISTANT_TOKEN=ha-file-secret\nAPI_KEY=api-file-secret', seen().content)
        assertTrue(scripts[1].contains("--env-file ${out}"), scripts[1])
        thenConsoleContains('Jenkins masks the file\'s path, not the values in it')
        assertNull(files[out])
        assertFalse(files.keySet().any { it.contains('secretFiles') })
    }

    // ------------------------------------------------------------------ arguments and agents

    @Test
    void badArgumentsAreRejectedByNameBeforeAnythingRuns() {
        whenWithDotenv(templat: '.env.tmpl')
        assertTrue(thenFailed().startsWith("homeiqWithDotenv: unknown argument 'templat'"))

        whenWithDotenv(variable: 'MY-FILE')
        assertTrue(thenFailed().contains('variable must be a variable name'))

        whenWithDotenv(credentialsId: 'homeiq-dotenv', credentials: [API_KEY: 'x'])
        assertTrue(thenFailed().contains('exclude each other'))

        thenNoEngineCall()
        assertTrue(bindingCalls.isEmpty())
        assertTrue(deleted.isEmpty())
    }

    @Test
    void windowsAgentRendersUnderTheTmpDirWithBat() {
        givenWindowsAgent()
        givenEngineJar()

        whenWithDotenv([:])

        thenSucceeded()
        String render = shells.find { it.script.contains(' dotenv render ') }
        assertEquals('bat', shells.find { it.script.contains(' dotenv render ') }.kind)
        String out = renderedPath()
        assertTrue(out ==~ /C:\\work\\job@tmp\\homeiq-dotenv-[0-9a-f-]{36}\\\.env/, out)
        assertEquals([out.replace('\\.env', '')], deleted)
    }

    @Test
    void aSecondBlockInTheBuildRendersWithOneEngineCall() {
        whenWithDotenv([:])
        whenWithDotenv([:])

        thenSucceeded()
        assertEquals(['dotenv keys', 'dotenv render', 'health-gate', 'dotenv render', 'health-gate'],
            shells*.script.findAll { it.contains(' -jar ') }.collect { (it =~ / (dotenv keys|dotenv render|health-gate) /)[0][1] },
            'the key listing once per build; each block one render')
    }

    @Test
    void afterTheBuildHasFailedABadTemplateIsOneLineAndTheBodyIsSkipped() {
        build.currentResult = 'FAILURE'
        env.HOMEIQ_STORY_FAILURE = 'Day 1: Rendering .env: configuration error: .env.template:3: no \'=\''
        givenShell(~/ dotenv render /) { String script ->
            writeReports(script, words(script), [exit: 2, outcome: 'configuration error: .env.template:3: no \'=\'',
                failure: 'configuration error (engine exit 2), nothing was changed: .env.template:3: no \'=\' (expected KEY=VALUE)'])
            2
        }

        whenWithDotenv([:])

        assertNull(thrown, 'a post-failure block does not add a second error')
        assertTrue(seen().isEmpty(), 'body not run')
        thenConsoleContains('homeiqWithDotenv: the body was not run: no .env')
        assertEquals(1, deleted.size())
    }
}
