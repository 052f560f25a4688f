package org.homeiq.pipeline

import com.lesfurets.jenkins.unit.cps.BasePipelineTestCPS
import com.lesfurets.jenkins.unit.global.lib.LibraryConfiguration
import org.junit.jupiter.api.BeforeEach

import java.util.regex.Pattern

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertNotNull
import static org.junit.jupiter.api.Assertions.assertNull
import static org.junit.jupiter.api.Assertions.assertTrue
import static org.junit.jupiter.api.Assertions.fail

/**
 * Base of the pipeline-step tests: the library is this repository's vars/ and resources/, loaded
 * as Jenkins loads a Global Pipeline Library, run by JenkinsPipelineUnit's CPS interpreter. The
 * agent is faked: its shell (sh/bat), files, console log and the publishing steps are recorded so
 * tests can say Given (agent, engine behaviour) / When (a step or a Jenkinsfile runs) / Then (the
 * command line, the build result, the message, what was published).
 */
abstract class PipelineTestBase extends BasePipelineTestCPS {
    static final File REPO = new File('.').canonicalFile
    static final String JAR = '/opt/homeiq/homeiq-deploy.jar'
    static final String WIN_JAR = 'C:\\homeiq\\homeiq-deploy.jar'
    /** The engine's JVM options, in order, from the file the steps read (blank and # lines skipped). */
    static final List<String> JVM_OPTIONS = new File(REPO, 'resources/org/homeiq/pipeline/engine-jvm.options')
        .readLines('UTF-8')*.trim().findAll { it && !it.startsWith('#') }
    /** What every engine line starts with when java is 'java': java, the JVM options, -jar. */
    static final String JAVA_JAR = (['java'] + JVM_OPTIONS + ['-jar']).join(' ')

    /** The fake agent. */
    boolean unix = true
    Map<String, String> files = [:]
    List<Map> shells = []
    List<List> shellHandlers = []
    StringBuilder console = new StringBuilder()
    List<Map> junitCalls = []
    List<Map> archiveCalls = []
    List<Map> inputCalls = []
    /** The labels of the node blocks entered, in order. */
    List<String> nodes = []
    Map env = [:]
    Map params = [:]
    FakeBuild build = new FakeBuild()
    /** What the approver does at the next `input`: a user id (approve), or a Closure that throws. */
    def approval = 'alice'

    /** The outcome of the last When. */
    Object returned
    Throwable thrown

    @BeforeEach
    void setUpPipeline() {
        scriptRoots = ['.'] as String[]
        scriptExtension = 'groovy'
        helper.registerSharedLibrary(LibraryConfiguration.library()
                .name('homeiq-pipeline')
                .defaultVersion('main')
                .allowOverride(true)
                .implicit(true)
                .targetPath('unused')
                .retriever(new RepositorySource(REPO))
                .build())
        super.setUp()
        registerAgent()
        givenShell(~/ -jar /) { String script -> fakeEngine(script) }
        env.putAll([WORKSPACE: '/work/job', HOME: '/home/jenkins', BUILD_NUMBER: '42', JOB_NAME: 'homeiq'])
        binding.setVariable('env', env)
        binding.setVariable('params', params)
        binding.setVariable('currentBuild', build)
        binding.setVariable('scm', [:])
    }

    void registerAgent() {
        helper.registerAllowedMethod('isUnix', [], { -> unix })
        helper.registerAllowedMethod('sh', [Map], { Map m -> shell('sh', m) })
        helper.registerAllowedMethod('sh', [String], { String s -> shell('sh', [script: s]) })
        helper.registerAllowedMethod('bat', [Map], { Map m -> shell('bat', m) })
        helper.registerAllowedMethod('bat', [String], { String s -> shell('bat', [script: s]) })
        helper.registerAllowedMethod('powershell', [Map], { Map m -> shell('powershell', m) })
        helper.registerAllowedMethod('echo', [String], { String s -> console << s << '\n' })
        helper.registerAllowedMethod('error', [String], { String s -> throw new PipelineError(s) })
        helper.registerAllowedMethod('fileExists', [String], { String p -> files.containsKey(p) })
        helper.registerAllowedMethod('readFile', [String], { String p -> readAgentFile(p) })
        helper.registerAllowedMethod('readFile', [Map], { Map m -> readAgentFile(m.file) })
        helper.registerAllowedMethod('writeFile', [Map], { Map m -> files[m.file] = m.text })
        helper.registerAllowedMethod('pwd', [Map], { Map m -> m.tmp ? tmpDir() : workspace() })
        helper.registerAllowedMethod('pwd', [], { -> workspace() })
        helper.registerAllowedMethod('junit', [Map], { Map m -> junitCalls << m })
        helper.registerAllowedMethod('archiveArtifacts', [Map], { Map m -> archiveCalls << m })
        helper.registerAllowedMethod('input', [Map], { Map m -> answerInput(m) })
        helper.registerAllowedMethod('timeout', [Map, Closure], { Map m, Closure body -> helper.callClosure(body) })
        helper.registerAllowedMethod('withEnv', [List, Closure], { List vars, Closure body -> withEnv(vars, body) })
        // Credentials Binding and dir/deleteDir, as plain as they come (HomeiqWithDotenvTest has a faithful fake)
        helper.registerAllowedMethod('string', [Map], { Map m -> [kind: 'string'] + m })
        helper.registerAllowedMethod('withCredentials', [List, Closure], { List b, Closure body -> helper.callClosure(body) })
        helper.registerAllowedMethod('dir', [String, Closure], { String d, Closure body -> helper.callClosure(body) })
        helper.registerAllowedMethod('deleteDir', [], { -> null })
        helper.registerAllowedMethod('node', [String, Closure], { String label, Closure body ->
            nodes << label
            // Unlike withEnv, what the body sets in env stays (env is the build's); only NODE_NAME is the block's.
            env.NODE_NAME = "${label}-agent".toString()
            try { helper.callClosure(body) } finally { env.remove('NODE_NAME') }
        })
        helper.registerAllowedMethod('stage', [String, Closure], { String name, Closure body ->
            console << "[Pipeline] { (${name})\n"
            helper.callClosure(body)
        })
    }

    String workspace() { unix ? '/work/job' : 'C:\\work\\job' }

    String tmpDir() { unix ? '/work/job@tmp' : 'C:\\work\\job@tmp' }

    String readAgentFile(String path) {
        if (!files.containsKey(path)) {
            throw new FileNotFoundException(path)
        }
        return files[path]
    }

    Object withEnv(List vars, Closure body) {
        Map saved = new HashMap(env)
        vars.each { String kv ->
            int eq = kv.indexOf('=')
            env[kv.substring(0, eq)] = kv.substring(eq + 1)
        }
        try {
            return helper.callClosure(body)
        } finally {
            env.clear()
            env.putAll(saved)
        }
    }

    Object shell(String kind, Map m) {
        String script = m.script
        shells << [kind: kind, script: script, returnStatus: m.returnStatus ?: false, returnStdout: m.returnStdout ?: false]
        console << "+ ${script}\n"
        Object answer = 0
        for (List h : shellHandlers.reverse()) {
            if (script =~ (Pattern) h[0]) {
                answer = ((Closure) h[1]).call(script)
                break
            }
        }
        int status = answer instanceof Integer ? answer : 0
        String stdout = answer instanceof String ? answer : ''
        if (m.returnStdout) {
            if (status != 0) {
                throw new PipelineError("script returned exit code ${status}")
            }
            return stdout
        }
        if (m.returnStatus) {
            return status
        }
        if (status != 0) {
            throw new PipelineError("script returned exit code ${status}")
        }
        return null
    }

    Object answerInput(Map m) {
        inputCalls << m
        console << "Input requested: ${m.message}\n"
        if (approval instanceof Closure) {
            return ((Closure) approval).call(m)
        }
        return m.submitterParameter ? approval : null
    }

    // ----------------------------------------------------------------------------- Given

    void givenUnixAgent() {
        unix = true
    }

    void givenWindowsAgent() {
        unix = false
        env.remove('HOME')
        env.WORKSPACE = 'C:\\work\\job'
        env.LOCALAPPDATA = 'C:\\Users\\jenkins\\AppData\\Local'
    }

    /** The agent has the engine jar at the usual test path, named by HOMEIQ_ENGINE_JAR. */
    void givenEngineJar() {
        String jar = unix ? JAR : WIN_JAR
        env.HOMEIQ_ENGINE_JAR = jar
        files[jar] = '<jar>'
    }

    /** Any shell script matching the pattern answers with an exit code (Integer) or stdout (String). */
    void givenShell(Pattern pattern, Closure answer) {
        shellHandlers << [pattern, answer]
    }

    /** Engine calls, as their argument lists after the jar, in order. */
    List<List<String>> engineCalls = []
    /** Engine commands (prefix of the arguments after the jar) that fail: prefix -> givenEngine opts + exit. */
    Map<String, Map> engineFailures = [:]

    /** The default engine: `plan --day N --format json` answers from plan.yaml, the rest exit 0 with reports. */
    Object fakeEngine(String script) {
        List<String> w = words(script)
        List<String> args = engineArgs(w)
        engineCalls << args
        String line = args.join(' ')
        if (args[0] == 'plan') {
            return realEngine(args)
        }
        Map failure = engineFailures.find { k, v -> line.startsWith(k) }?.value
        Map opts = failure ?: [passed: [[args[args.indexOf('--wave') + 1] ?: 'homeiq', 'health']], exit: 0]
        writeReports(script, w, opts)
        return failure ? failure.exit : 0
    }

    /**
     * `plan` is answered by the real engine (in-process), so the steps parse what it really
     * prints; a non-zero exit fails like `sh(returnStdout: true)` does.
     */
    Object realEngine(List<String> args) {
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        int code = org.homeiq.deploy.cli.Main.run(new PrintStream(out, true, 'UTF-8'), new PrintStream(err, true, 'UTF-8'),
            args as String[])
        console << err.toString('UTF-8')
        return code == 0 ? out.toString('UTF-8') : code
    }

    /** The engine command starting with these arguments fails with the exit code and reports. */
    void givenEngineFails(String commandPrefix, int exitCode) {
        givenEngineFails([:], commandPrefix, exitCode)
    }

    void givenEngineFails(Map opts, String commandPrefix, int exitCode) {
        engineFailures[commandPrefix] = opts + [exit: exitCode]
    }

    /** The engine's arguments after the jar, without the --result FILE every step call passes first. */
    static List<String> engineArgs(List<String> w) {
        List<String> args = w.subList(w.indexOf('-jar') + 2, w.size())
        return args[0] == '--result' ? args.subList(2, args.size()) : args
    }

    /**
     * The reports the engine was asked for, and its result file (--result): exit code, outcome,
     * failure (opts.failure, else opts.summary and one line per failed [service, check, message]),
     * failed services, report paths. opts.noResult: the engine wrote none (did not start).
     */
    void writeReports(String script, List<String> words, Map opts) {
        String json = optionValue(words, '--json')
        String junit = optionValue(words, '--junit')
        if (json) {
            files[json] = opts.json ?: groovy.json.JsonOutput.toJson([summary: opts.summary] + (opts.result ?: [:]))
        }
        if (junit) {
            files[junit] = opts.junitXml ?: junitXml(opts.failures ?: [], opts.passed ?: [])
        }
        String result = optionValue(words, '--result')
        int exit = (opts.exit ?: 0) as int
        if (result && !opts.noResult) {
            List failures = (opts.failures ?: []).collect { "${it[0]} ${it[1]}: ${it[2]}".toString() }
            String failure = opts.failure ?: ([opts.summary ?: opts.stderr] + failures).findAll { it }.join('\n')
            String outcome = opts.outcome ?: (exit == 0 ? "PASSED, ${(opts.passed ?: [1]).size()}/${(opts.passed ?: [1]).size()} healthy" :
                (failure ? failure.readLines()[0] : "exit ${exit}"))
            files[result] = groovy.json.JsonOutput.toJson([exitCode: exit, outcome: outcome, failure: exit == 0 ? null : (failure ?: outcome),
                failed: (opts.failures ?: []).collect { [service: it[0], check: it[1]] },
                reports: [json: json, junit: junit]])
        }
        (opts.stdout ?: []).each { console << it << '\n' }
    }

    /**
     * The engine (any `java -jar` command) exits with the code, after writing the reports it was
     * asked for: JSON `{"summary": ...}` when summary is given, JUnit with the failures given as
     * [service, check, message] triples, stderr text, and stdout lines into the console.
     */
    void givenEngine(int exitCode) {
        givenEngine([:], exitCode)
    }

    void givenEngine(Map opts, int exitCode) {
        givenShell(~/-jar /) { String script ->
            List<String> w = words(script)
            engineCalls << engineArgs(w)
            writeReports(script, w, opts + [exit: exitCode])
            return exitCode
        }
    }

    static String junitXml(List failures, List passed) {
        StringBuilder x = new StringBuilder('<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="homeiq">\n')
        passed.each { List p -> x << "  <testcase classname=\"${p[0]}\" name=\"${p[1]}\"/>\n" }
        failures.each { List f ->
            x << "  <testcase classname=\"${f[0]}\" name=\"${f[1]}\"><failure message=\"${groovy.xml.XmlUtil.escapeXml(f[2].toString())}\"/></testcase>\n"
        }
        x << '</testsuite>\n'
        return x.toString()
    }

    /** Splits a generated command line into words (POSIX single quotes or cmd double quotes). */
    static List<String> words(String line) {
        List<String> out = []
        def m = line =~ /'((?:[^']|'\\'')*)'|"([^"]*)"|(\S+)/
        while (m.find()) {
            out << (m.group(1) != null ? m.group(1).replace("'\\''", "'") : m.group(2) != null ? m.group(2) : m.group(3))
        }
        return out
    }

    static String unquote(String s) {
        return words(s)[0]
    }

    static String optionValue(List<String> words, String option) {
        int i = words.indexOf(option)
        return i >= 0 && i + 1 < words.size() ? words[i + 1] : null
    }

    // ----------------------------------------------------------------------------- When

    /** Runs a step from vars/ as a pipeline would call it; the outcome lands in returned/thrown. */
    void whenStep(String name, Map args) {
        whenPipeline { -> binding.getVariable(name).call(args) }
    }

    /** Runs a step with a body (e.g. an approval around a deployment). */
    void whenStep(String name, Map args, Closure body) {
        whenPipeline { -> binding.getVariable(name).call(args, body) }
    }

    /** Runs pipeline code; an exception leaving it sets the result the way Jenkins would. */
    void whenPipeline(Closure code) {
        ensureLibraryLoaded()
        returned = null
        thrown = null
        try {
            returned = helper.callClosure(code)
            if (build.result == null) {
                build.result = 'SUCCESS'
            }
        } catch (Throwable t) {
            thrown = t
            build.result = t instanceof FlowInterruptedException ? 'ABORTED' : 'FAILURE'
        }
    }

    /** Loads and runs a Jenkinsfile from the repository (the library comes in by @Library). */
    void whenJenkinsfile(String path, Closure afterLoad = null) {
        returned = null
        thrown = null
        try {
            Script script = loadScript(path)
            if (afterLoad != null) {
                afterLoad.call()   // e.g. mocks that must override the library's own vars
            }
            returned = runScript(script)
            if (build.result == null) {
                build.result = 'SUCCESS'
            }
        } catch (Throwable t) {
            thrown = t
            build.result = t instanceof FlowInterruptedException ? 'ABORTED' : 'FAILURE'
        }
    }

    private boolean libraryLoaded
    /** The library is implicit: compiling any script loads it and binds its vars. */
    void ensureLibraryLoaded() {
        if (!libraryLoaded) {
            loadScript('src/test/resources/pipelines/noop.groovy')
            libraryLoaded = true
        }
    }

    // ----------------------------------------------------------------------------- Then

    /** The scripts run on the agent, in order. */
    List<String> thenShellScripts() {
        return shells.collect { it.script }
    }

    /**
     * The one engine (java -jar) command line the step ran, without the report directory's
     * clearing in front and the --result FILE after the jar (thenRawEngineCommand has them).
     */
    String thenEngineCommand() {
        String raw = thenRawEngineCommand()
        boolean bat = raw.startsWith('@')
        String line = (bat ? raw.substring(1) : raw).replaceFirst(/^rm -rf \S+ && /, '')
            .replaceFirst(/^\(if exist \S+ rmdir \/s \/q \S+\) & /, '').replaceFirst(/ --result \S+/, '')
        return bat ? '@' + line : line
    }

    String thenRawEngineCommand() {
        List<String> engine = shells.findAll { it.script.contains(' -jar ') }.collect { it.script }
        assertEquals(1, engine.size(), "expected exactly one engine call, got ${engine}")
        return engine[0]
    }

    void thenSucceeded() {
        if (thrown != null) {
            fail("expected success, got ${thrown}\nconsole:\n${console}", thrown)
        }
        assertEquals('SUCCESS', build.result)
    }

    /** The step failed the build; returns the message it failed with. */
    String thenFailed() {
        assertNotNull(thrown, "expected the step to fail\nconsole:\n${console}")
        assertEquals('FAILURE', build.result)
        return thrown.message
    }

    void thenAborted() {
        assertNotNull(thrown, 'expected the run to be aborted')
        assertEquals('ABORTED', build.result)
    }

    void thenConsoleContains(String text) {
        assertTrue(console.toString().contains(text), "console does not contain '${text}':\n${console}")
    }

    void thenNoEngineCall() {
        assertNull(shells.find { it.script.contains(' -jar ') }, "expected no engine call, got ${shells}")
    }
}
