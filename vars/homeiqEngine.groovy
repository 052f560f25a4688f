import org.homeiq.pipeline.BuildStory
import org.homeiq.pipeline.EngineCommand
import org.homeiq.pipeline.EngineJar
import org.homeiq.pipeline.EngineResult
import org.homeiq.pipeline.StepArguments

// The steps that every homeiq step shares: check its arguments against steps.json, find the
// engine and the agent's platform once per build and agent, run the engine once with --result,
// read that one file, publish the reports and tell the day's story. The logic is in the engine
// and in the classes under src/org/homeiq/pipeline/; this file only calls pipeline steps.

/** The step declarations (resources/org/homeiq/pipeline/steps.json), read once per build. */
Map spec() {
    return StepArguments.cached() ?: StepArguments.load(libraryResource(StepArguments.RESOURCE))
}

/** The step's arguments over its declared defaults; an unknown or malformed one fails the step naming it. */
Map configure(String step, Map args) {
    Map checked = StepArguments.check(spec(), step, args ?: [:])
    if (checked.error) {
        error(checked.error)
    }
    return checked.config
}

/** Exactly one of services, wave, day, phase, all: [args, id, text]. */
Map selection(String step, Map cfg) {
    Map sel = StepArguments.selection(spec(), step, cfg)
    if (sel.error) {
        error(sel.error)
    }
    return sel
}

/** The engine options of the step's own declared parameters (the selection and project options apart). */
List options(String step, Map cfg) {
    return StepArguments.ownOptions(spec(), step, cfg)
}

/** Only the arguments every step takes, to pass on to the parts of a composite step. */
Map common(Map cfg) {
    return StepArguments.only(spec(), 'common', cfg)
}

/**
 * Runs one engine command for a step and reads its result file once.
 *   step:     the step's name, for messages
 *   config:   the step's configured arguments (from configure)
 *   command:  the engine arguments after the jar, without the project options
 *   report:   base name of the report files; adds --json (and --junit unless junit: false)
 *   what:     what ran, in words, for the build's story ("Rebuild of wave d1-core")
 *   gate:     true: the outcome is the "last gate" the next approval shows
 *   rolledBack: for a rollback, what it did in words ("day 1 rolled back"), for the story
 *   quiet:    true: a means, not an outcome (rendering the .env); only a failure joins the story
 * Returns the result map (exitCode, outcome, failure, failed, reports). Fails the stage on a
 * non-zero exit; after the build has already failed (a post-failure rollback) it tells the story
 * and the log instead, so the first failure stays the build's error.
 */
Map call(Map a) {
    Map cfg = a.config ?: [:]
    String step = a.step ?: 'homeiqEngine'
    Map agent = agent(step, cfg)
    String dir = cfg.reportDir ?: 'homeiq-reports'
    String base = dir + '/' + StepArguments.fileSafe(a.report ?: words(a.command))
    String resultFile = base + '.result.json'
    List engineArgs = ['--result', resultFile] + a.command +
        EngineCommand.projectArgs(StepArguments.parameters(spec(), 'homeiqEngine'), cfg, env.HOMEIQ_ENV_FILE)
    if (a.report) {
        engineArgs += ['--json', base + '.json']
        if (a.junit != false) {
            engineArgs += ['--junit', base + '.xml']
        }
    }
    String clear = firstUse(dir)
    String line = EngineCommand.line(agent.unix, agent.java, agent.jvmOptions, agent.jar, engineArgs, clear)
    // '@' keeps cmd from echoing the line a second time.
    int code = agent.unix ? (sh(script: line, returnStatus: true) as int) : (bat(script: '@' + line, returnStatus: true) as int)
    String text = null
    try {
        text = readFile(resultFile)
    } catch (ignored) {
        text = null   // no result: the engine did not start or did not finish; EngineResult says so
    }
    Map r = EngineResult.parse(text, code)
    publish(dir, a.report ? base : null, r)
    if (!a.quiet || code != 0) {
        tell(a, r)
    }
    if (code == 0) {
        return r
    }
    String message = EngineResult.message(step, r)
    if (currentBuild.currentResult == 'FAILURE') {
        echo("${message}\n(the build had already failed; its first failure stays the build's error)")
        return r
    }
    error(message)
}

/** The engine's stdout (plan --format json); a failure fails the step with the engine's own words. */
String output(Map a) {
    Map cfg = a.config ?: [:]
    String step = a.step ?: 'homeiqEngine'
    Map agent = agent(step, cfg)
    String resultFile = (cfg.reportDir ?: 'homeiq-reports') + '/' + StepArguments.fileSafe(words(a.command)) + '.result.json'
    List engineArgs = ['--result', resultFile] + a.command +
        EngineCommand.projectArgs(StepArguments.parameters(spec(), 'homeiqEngine'), cfg, env.HOMEIQ_ENV_FILE)
    String line = EngineCommand.line(agent.unix, agent.java, agent.jvmOptions, agent.jar, engineArgs, null)
    try {
        return agent.unix ? sh(script: line, returnStdout: true) : bat(script: '@' + line, returnStdout: true)
    } catch (e) {
        String text = null
        try {
            text = readFile(resultFile)
        } catch (ignored) {
            text = null
        }
        error(EngineResult.message(step, EngineResult.parse(text, -1)))
    }
}

/** The command's words before its options, for file names: 'dotenv-render'. */
@NonCPS
String words(List command) {
    return command.takeWhile { !it.toString().startsWith('-') }.join('-')
}

/** The JUnit report, the approval record waiting to be written, and the step's files (base*), archived. */
void publish(String dir, String base, Map r) {
    if (r.reports.junit) {
        junit(testResults: r.reports.junit, allowEmptyResults: true)
    }
    List artifacts = base ? [base + '*'] : []
    if (env.HOMEIQ_APPROVAL_RECORD) {
        // The approval ran on no executor; the first engine call on the agent after it writes its record.
        String file = dir + '/' + env.HOMEIQ_APPROVAL_FILE
        writeFile(file: file, text: env.HOMEIQ_APPROVAL_RECORD)
        env.HOMEIQ_APPROVAL_RECORD = ''
        artifacts << file
    }
    if (artifacts) {
        archiveArtifacts(artifacts: artifacts.join(','), allowEmptyArchive: true, fingerprint: false)
    }
}

/** The step's outcome into the build's story, the description and the "last gate". */
void tell(Map a, Map r) {
    String what = a.what ?: a.step
    Map changed = BuildStory.after(story(), what, r, a.rolledBack)
    List keys = BuildStory.keys(changed)
    for (int i = 0; i < keys.size(); i++) {
        env[keys[i]] = changed[keys[i]]
    }
    currentBuild.description = BuildStory.description(story())
    if (a.gate) {
        env.HOMEIQ_LAST_GATE = "${what}: ${r.outcome}".toString()
    }
}

/** The story so far, as a plain map (env itself is not one). */
Map story() {
    Map m = [HOMEIQ_DAY: env.HOMEIQ_DAY]
    for (String k : [BuildStory.APPROVAL, BuildStory.FAILURE, BuildStory.AFTER, BuildStory.LAST]) {
        m[k] = env[k]
    }
    return m
}

/**
 * The report directory is cleared by the build's first engine call on this agent (the same
 * shell line), so build N never archives build N-1's files. Returns the directory to clear, or null.
 */
String firstUse(String dir) {
    String key = "${env.NODE_NAME ?: ''}:${dir}|"
    String done = env.HOMEIQ_REPORTS_CLEARED ?: ''
    if (done.contains(key)) {
        return null
    }
    env.HOMEIQ_REPORTS_CLEARED = done + key
    return dir
}

// ---------------------------------------------------------------------------------------------
// The engine on this agent and how it is launched: looked up once per build and agent (isUnix,
// fileExists, the JVM options' libraryResource), then reused.

Map agent(String step, Map cfg) {
    String key = [env.NODE_NAME, cfg.engineJar, cfg.engineVersion, cfg.java, cfg.engineCache].join('|')
    if (env.HOMEIQ_AGENT_KEY == key && env.HOMEIQ_AGENT) {
        List v = env.HOMEIQ_AGENT.split('\t') as List
        return [unix: v[0] == 'unix', java: v[1], jar: v[2], jvmOptions: v.drop(3)]
    }
    boolean unix = isUnix()
    Map vars = [HOMEIQ_JAVA: env.HOMEIQ_JAVA, JAVA_HOME: env.JAVA_HOME, HOMEIQ_ENGINE_JAR: env.HOMEIQ_ENGINE_JAR,
                HOMEIQ_ENGINE_CACHE: env.HOMEIQ_ENGINE_CACHE, HOME: env.HOME, LOCALAPPDATA: env.LOCALAPPDATA,
                USERPROFILE: env.USERPROFILE]
    String java = EngineCommand.javaCommand(cfg, vars, unix)
    String jar = resolveJar(step, cfg, vars, unix, java)
    List options = jvmOptions(step)
    env.HOMEIQ_AGENT = ([unix ? 'unix' : 'windows', java, jar] + options).join('\t')
    env.HOMEIQ_AGENT_KEY = key
    return [unix: unix, java: java, jar: jar, jvmOptions: options]
}

/** The engine's JVM options (resources/org/homeiq/pipeline/engine-jvm.options); a line that is not one fails the step naming it. */
List jvmOptions(String step) {
    Map parsed = EngineCommand.jvmOptions(libraryResource(EngineCommand.JVM_OPTIONS))
    if (parsed.error) {
        error("${step}: ${parsed.error}")
    }
    return parsed.options
}

/** The engine jar: explicit, then the per-version cache, then a verified download (EngineFetch.java). */
String resolveJar(String step, Map cfg, Map vars, boolean unix, String java) {
    String explicit = EngineJar.explicit(cfg, vars)
    if (explicit) {
        if (fileExists(explicit)) {
            return explicit
        }
        error("${step}: the engine jar ${explicit} (from ${cfg.engineJar ? 'engineJar argument' : 'HOMEIQ_ENGINE_JAR'}) does not exist on this agent")
    }
    Map pinned = EngineJar.pinned(libraryResource('org/homeiq/pipeline/engine.properties'))
    String version = cfg.engineVersion ?: pinned.version
    String cached = EngineJar.cached(cfg, vars, unix, version)
    if (fileExists(cached)) {
        return cached
    }
    List tried = ['engineJar argument and HOMEIQ_ENGINE_JAR: not set', "agent cache: ${cached} not found".toString()]
    String repository = cfg.engineRepository ?: env.HOMEIQ_ENGINE_REPOSITORY
    String sha = cfg.engineSha256 ?: env.HOMEIQ_ENGINE_SHA256 ?: (version == pinned.version ? pinned.sha256 : null)
    if (!repository) {
        tried << 'download: no Maven repository configured (engineRepository or HOMEIQ_ENGINE_REPOSITORY)'
        error(EngineJar.notFound(step, version, tried))
    }
    if (!sha) {
        tried << "download: no SHA-256 known for version ${version} (engineSha256 or HOMEIQ_ENGINE_SHA256), refusing an unverified jar".toString()
        error(EngineJar.notFound(step, version, tried))
    }
    String url = EngineJar.artifactUrl(repository, version)
    String fetcher = pwd(tmp: true) + (unix ? '/' : '\\') + 'EngineFetch.java'
    writeFile(file: fetcher, text: libraryResource('org/homeiq/pipeline/EngineFetch.java'))
    String line = EngineCommand.quoteAll(unix, [java, fetcher, url, sha, cached])
    int code = unix ? (sh(script: line, returnStatus: true) as int) : (bat(script: '@' + line, returnStatus: true) as int)
    if (code == 0 && fileExists(cached)) {
        return cached
    }
    tried << "download: ${url} failed verification or transfer (exit ${code}; see the log above)".toString()
    error(EngineJar.notFound(step, version, tried))
}
