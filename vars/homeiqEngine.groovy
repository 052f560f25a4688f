// The glue every homeiq step shares: check named arguments, find the engine jar on the agent,
// build the command line, run it once with sh/bat, publish its reports and turn its exit code into
// the stage's outcome. Logic stays in the engine; this file only moves arguments and results.

/** Arguments every homeiq step accepts, with their defaults (null: not passed to the engine). */
@NonCPS
Map commonDefaults() {
    return [
        // the HomeIQ checkout on the agent and the engine's project options (docs/engine-cli.md)
        projectDir      : '.',
        composeFile     : null,
        projectName     : null,
        inventory       : null,
        plan            : null,
        envFile         : null,     // default: env.HOMEIQ_ENV_FILE, set by homeiqWithDotenv
        // where the engine's JSON, JUnit and stderr land (workspace-relative: junit/archive need that)
        reportDir       : 'homeiq-reports',
        // the engine on the agent
        engineJar       : null,     // default: env.HOMEIQ_ENGINE_JAR
        engineVersion   : null,     // default: the version pinned in resources/org/homeiq/pipeline/engine.properties
        engineSha256    : null,     // default: env.HOMEIQ_ENGINE_SHA256, then the pinned checksum
        engineRepository: null,     // default: env.HOMEIQ_ENGINE_REPOSITORY (a Maven repository URL)
        engineCache     : null,     // default: env.HOMEIQ_ENGINE_CACHE, else ~/.cache/homeiq-deploy or %LOCALAPPDATA%\homeiq-deploy
        java            : null,     // default: env.HOMEIQ_JAVA, else $JAVA_HOME/bin/java, else java on PATH
    ]
}

/**
 * Checks a step's named arguments: every key must be one of the step's own or the common ones.
 * Returns the arguments merged over the defaults. An unknown name fails the step naming it.
 */
Map configure(String step, Map args, Map stepDefaults) {
    Map defaults = commonDefaults() + stepDefaults
    String problem = unknownArguments(step, args, defaults)
    if (problem) {
        error(problem)
    }
    return defaults + args
}

@NonCPS
String unknownArguments(String step, Map args, Map defaults) {
    List unknown = args.keySet().findAll { !defaults.containsKey(it) }.collect { "'${it}'" }.sort()
    if (!unknown) {
        return null
    }
    return "${step}: unknown argument ${unknown.join(', ')}; it takes ${defaults.keySet().sort().join(', ')} (see ${step}.txt)"
}

/** Defaults of the service selection (docs/engine-cli.md): exactly one must be given. */
@NonCPS
Map selectionDefaults() {
    return [services: null, wave: null, day: null, phase: null, all: false]
}

/**
 * The selection as engine arguments plus a short id for report names, e.g.
 * [args: ['--wave', 'd1-core'], id: 'd1-core']. Exactly one of services/wave/day/phase/all.
 */
Map selection(String step, Map cfg) {
    String problem = selectionProblem(step, cfg)
    if (problem) {
        error(problem)
    }
    return selectionOf(cfg)
}

@NonCPS
String selectionProblem(String step, Map cfg) {
    List given = ['services', 'wave', 'day', 'phase', 'all'].findAll { k -> cfg[k] != null && cfg[k] != false && cfg[k] != '' && cfg[k] != [] }
    if (given.size() != 1) {
        return "${step}: give exactly one of services, wave, day, phase, all (got ${given ? given.join(', ') : 'none'})"
    }
    if (cfg.day != null && !(cfg.day.toString() ==~ /[1-9][0-9]*/)) {
        return "${step}: day must be a day number of the plan (1-5), got '${cfg.day}'"
    }
    if (cfg.phase != null && !(cfg.phase.toString() ==~ /[0-9]+/)) {
        return "${step}: phase must be a phase number of the plan (0-4), got '${cfg.phase}'"
    }
    if (cfg.all != null && cfg.all != false && cfg.all != true) {
        return "${step}: all must be true or false, got '${cfg.all}'"
    }
    if (cfg.services != null && serviceList(cfg.services).isEmpty()) {
        return "${step}: services is empty"
    }
    return null
}

@NonCPS
List serviceList(Object services) {
    List raw = services instanceof Collection ? (services as List) : services.toString().split(',').toList()
    return raw.collect { it.toString().trim() }.findAll { it }
}

@NonCPS
Map selectionOf(Map cfg) {
    if (cfg.services) {
        List names = serviceList(cfg.services)
        String id = names.size() <= 3 ? names.join('-') : "${names[0..2].join('-')}-and-${names.size() - 3}-more"
        return [args: ['--services', names.join(',')], id: id, text: "services ${names.join(', ')}"]
    }
    if (cfg.wave) { return [args: ['--wave', cfg.wave.toString()], id: cfg.wave.toString(), text: "wave ${cfg.wave}"] }
    if (cfg.day != null) { return [args: ['--day', cfg.day.toString()], id: "day-${cfg.day}", text: "day ${cfg.day}"] }
    if (cfg.phase != null) { return [args: ['--phase', cfg.phase.toString()], id: "phase-${cfg.phase}", text: "phase ${cfg.phase}"] }
    return [args: ['--all'], id: 'all', text: 'all services']
}

/**
 * Options that are passed through when set: [argName: '--option']. Durations and numbers are
 * checked here so a typo fails naming the argument before anything runs.
 */
List optionArgs(String step, Map cfg, Map options) {
    String problem = optionProblem(step, cfg, options)
    if (problem) {
        error(problem)
    }
    return optionList(cfg, options)
}

@NonCPS
String optionProblem(String step, Map cfg, Map options) {
    for (e in options) {
        def v = cfg[e.key]
        if (v == null || v == false) { continue }
        String kind = e.value.kind
        if (kind == 'duration' && !(v.toString() ==~ /[0-9]+(ms|s|m|h)?/)) {
            return "${step}: ${e.key} must be a duration like 30s, 5m, 1h, 250ms or seconds, got '${v}'"
        }
        if (kind == 'count' && !(v.toString() ==~ /[0-9]+/)) {
            return "${step}: ${e.key} must be a whole number, got '${v}'"
        }
        if (kind == 'flag' && v != true) {
            return "${step}: ${e.key} must be true or false, got '${v}'"
        }
        if (e.value.values && !(v.toString() in e.value.values)) {
            return "${step}: ${e.key} must be one of ${e.value.values.join(', ')}, got '${v}'"
        }
    }
    return null
}

@NonCPS
List optionList(Map cfg, Map options) {
    List out = []
    for (e in options) {
        def v = cfg[e.key]
        if (v == null || v == false || v == '') { continue }
        if (e.value.kind == 'flag') {
            out << e.value.option
        } else if (e.value.kind == 'list') {
            out += [e.value.option, serviceList(v).join(',')]
        } else {
            out += [e.value.option, v.toString()]
        }
    }
    return out
}

/** A name usable in a file name. */
@NonCPS
String fileSafe(String s) {
    return s.replaceAll(/[^A-Za-z0-9._-]+/, '-')
}

/** The project options of docs/engine-cli.md for a configured step. */
List projectArgs(Map cfg) {
    List a = []
    if (cfg.projectDir) { a += ['--project-dir', cfg.projectDir.toString()] }
    if (cfg.composeFile) { a += ['--compose-file', cfg.composeFile.toString()] }
    if (cfg.projectName) { a += ['--project-name', cfg.projectName.toString()] }
    if (cfg.inventory) { a += ['--inventory', cfg.inventory.toString()] }
    if (cfg.plan) { a += ['--plan', cfg.plan.toString()] }
    // Only the path: the values stay in the file homeiqWithDotenv rendered, never on a command line.
    String envFile = cfg.envFile ?: env.HOMEIQ_ENV_FILE
    if (envFile) { a += ['--env-file', envFile] }
    return a
}

/**
 * Runs one engine command for a step.
 *   step:     the step's name, for messages
 *   config:   the step's configured arguments (from configure)
 *   command:  the engine arguments after the jar, without the project options
 *   report:   base name of the report files; adds --json/--junit when given
 *   outcome:  one line describing what ran, for currentBuild.description
 * Returns [exitCode, json, junit, summary] on exit 0; fails the stage otherwise, after publishing
 * the JUnit report and archiving the JSON and logs.
 */
Map call(Map a) {
    Map cfg = a.config ?: [:]
    String step = a.step ?: 'homeiqEngine'
    String jar = resolveJar(step, cfg)
    String dir = cfg.reportDir ?: 'homeiq-reports'
    List engineArgs = [] + a.command + projectArgs(cfg)
    String json = null
    String junitFile = null
    if (a.report) {
        json = dir + '/' + a.report + '.json'
        engineArgs += ['--json', json]
        if (a.junit != false) {
            junitFile = dir + '/' + a.report + '.xml'
            engineArgs += ['--junit', junitFile]
        }
    }
    String base = dir + '/' + (a.report ?: a.command[0])
    String stderrFile = base + '.stderr.log'
    // writeFile creates the directory on any agent OS; the engine writes into it.
    writeFile(file: dir + '/.homeiq-reports', text: 'reports of the homeiq-pipeline steps\n')

    int code = runEngine(cfg, jar, engineArgs, stderrFile)

    String stderrText = fileExists(stderrFile) ? readFile(stderrFile).trim() : ''
    if (stderrText) {
        echo(stderrText)
    }
    if (junitFile && fileExists(junitFile)) {
        junit(testResults: junitFile, allowEmptyResults: true)
    }
    archiveArtifacts(artifacts: base + '*', allowEmptyArchive: true, fingerprint: false)

    String summary = summarize(json, junitFile, stderrText)
    String what = a.outcome ?: "${step}"
    if (a.gate) {
        // What the next approval shows as "the last gate's result".
        env.HOMEIQ_LAST_GATE = ("${what}: ${code == 0 ? 'passed' : descriptionFor(code)}" + (code == 0 || !summary ? '' : " (${firstLine(summary)})")).toString()
    }
    if (code == 0) {
        currentBuild.description = "${what}: OK"
        return [exitCode: 0, json: json, junit: junitFile, summary: summary,
                result: (json && fileExists(json)) ? parseJson(readFile(json)) : null]
    }
    String message = failureMessage(step, code, summary)
    currentBuild.description = "${what}: ${descriptionFor(code)}"
    error(message)
}

/** The same engine, but its stdout returned (plan --format json); fails like call() otherwise. */
String output(Map a) {
    Map cfg = a.config ?: [:]
    String step = a.step ?: 'homeiqEngine'
    String jar = resolveJar(step, cfg)
    List engineArgs = [] + a.command + projectArgs(cfg)
    String line = commandLine(isUnix(), javaCommand(cfg), jar, engineArgs, null)
    try {
        if (isUnix()) {
            return sh(script: line, returnStdout: true)
        }
        return bat(script: '@' + line, returnStdout: true)
    } catch (e) {
        error("${step}: the engine failed running '${a.command.join(' ')}' (${e.message}); see the log above")
    }
}

int runEngine(Map cfg, String jar, List engineArgs, String stderrFile) {
    boolean unix = isUnix()
    String line = commandLine(unix, javaCommand(cfg), jar, engineArgs, stderrFile)
    if (unix) {
        return sh(script: line, returnStatus: true) as int
    }
    // '@' keeps cmd from echoing the line a second time; the step log shows it once.
    return bat(script: '@' + line, returnStatus: true) as int
}

String javaCommand(Map cfg) {
    if (cfg.java) { return cfg.java.toString() }
    if (env.HOMEIQ_JAVA) { return env.HOMEIQ_JAVA }
    if (env.JAVA_HOME) { return env.JAVA_HOME + (isUnix() ? '/bin/java' : '\\bin\\java.exe') }
    return 'java'
}

/**
 * The full command line for sh (POSIX quoting) or bat (cmd quoting). Pure, so @NonCPS.
 * stderr goes to a file, so an engine error can be repeated in the failure message.
 */
@NonCPS
String commandLine(boolean unix, String java, String jar, List args, String stderrFile) {
    String line = quoteAll(unix, [java, '-jar', jar] + args)
    if (stderrFile) {
        line += ' 2>' + (unix ? shQuote(stderrFile) : cmdQuote(stderrFile))
    }
    return line
}

@NonCPS
String quoteAll(boolean unix, List words) {
    return words.collect { unix ? shQuote(it.toString()) : cmdQuote(it.toString()) }.join(' ')
}

@NonCPS
String shQuote(String s) {
    if (s ==~ /[A-Za-z0-9_\/.:=,@%+-]+/) { return s }
    return "'" + s.replace("'", "'\\''") + "'"
}

@NonCPS
String cmdQuote(String s) {
    // In a .bat file % starts a variable even inside quotes; a double quote cannot be escaped reliably.
    if (s.contains('"') || s.contains('\n') || s.contains('\r')) {
        throw new IllegalArgumentException("cannot pass ${s.inspect()} to cmd.exe safely (double quote or newline)")
    }
    String t = s.replace('%', '%%')
    if (t ==~ /[A-Za-z0-9_\\\/.:=,@+-]+/) { return t }
    return '"' + t + '"'
}

// ---------------------------------------------------------------------------------------------
// The engine jar on the agent: explicit, then the per-version cache, then a verified download.

String resolveJar(String step, Map cfg) {
    List tried = []
    String explicit = cfg.engineJar ?: env.HOMEIQ_ENGINE_JAR
    if (explicit) {
        String source = cfg.engineJar ? 'engineJar argument' : 'HOMEIQ_ENGINE_JAR'
        if (fileExists(explicit)) {
            return explicit
        }
        error("${step}: the engine jar ${explicit} (from ${source}) does not exist on this agent")
    }
    Map pinned = pinnedEngine()
    String version = cfg.engineVersion ?: pinned.version
    boolean unix = isUnix()
    String sep = unix ? '/' : '\\'
    String cache = cfg.engineCache ?: env.HOMEIQ_ENGINE_CACHE
    if (!cache) {
        cache = unix ? "${env.HOME}/.cache/homeiq-deploy" : "${env.LOCALAPPDATA ?: env.USERPROFILE}\\homeiq-deploy"
    }
    String cached = "${cache}${sep}${version}${sep}homeiq-deploy-${version}.jar"
    if (fileExists(cached)) {
        return cached
    }
    tried << "engineJar argument and HOMEIQ_ENGINE_JAR: not set"
    tried << "agent cache: ${cached} not found"

    String repository = cfg.engineRepository ?: env.HOMEIQ_ENGINE_REPOSITORY
    String sha = cfg.engineSha256 ?: env.HOMEIQ_ENGINE_SHA256 ?: (version == pinned.version ? pinned.sha256 : null)
    if (!repository) {
        tried << 'download: no Maven repository configured (engineRepository or HOMEIQ_ENGINE_REPOSITORY)'
        error(notFound(step, version, tried))
    }
    if (!sha) {
        tried << "download: no SHA-256 known for version ${version} (engineSha256 or HOMEIQ_ENGINE_SHA256), refusing an unverified jar"
        error(notFound(step, version, tried))
    }
    String url = artifactUrl(repository, version)
    String tmp = pwd(tmp: true)
    String fetcher = "${tmp}${sep}EngineFetch.java"
    writeFile(file: fetcher, text: libraryResource('org/homeiq/pipeline/EngineFetch.java'))
    List fetchArgs = [fetcher, url, sha, cached]
    String line = quoteAll(unix, [javaCommand(cfg)] + fetchArgs)
    int code = unix ? (sh(script: line, returnStatus: true) as int) : (bat(script: '@' + line, returnStatus: true) as int)
    if (code == 0 && fileExists(cached)) {
        return cached
    }
    tried << "download: ${url} failed verification or transfer (exit ${code}; see the log above)"
    error(notFound(step, version, tried))
}

@NonCPS
String notFound(String step, String version, List tried) {
    return "${step}: no engine jar (org.homeiq:homeiq-deploy:${version}) on this agent. Tried:\n  - " +
        tried.join('\n  - ')
}

@NonCPS
String artifactUrl(String repository, String version) {
    String base = repository.endsWith('/') ? repository[0..-2] : repository
    return "${base}/org/homeiq/homeiq-deploy/${version}/homeiq-deploy-${version}.jar"
}

Map pinnedEngine() {
    return parseProperties(libraryResource('org/homeiq/pipeline/engine.properties'))
}

@NonCPS
Map parseProperties(String text) {
    Properties p = new Properties()
    p.load(new StringReader(text))
    return [version: p.getProperty('version'), sha256: (p.getProperty('sha256') ?: null)]
}

// ---------------------------------------------------------------------------------------------
// Outcome: what the stage says when the engine did not exit 0.

String summarize(String json, String junitFile, String stderrText) {
    List parts = []
    if (json && fileExists(json)) {
        String s = summaryFromJson(readFile(json))
        if (s) { parts << s }
    }
    if (junitFile && fileExists(junitFile)) {
        List failures = failuresFromJunit(readFile(junitFile))
        if (failures) { parts << failures.join('\n') }
    }
    if (!parts && stderrText) {
        parts << lastLines(stderrText, 5)
    }
    return parts.join('\n')
}

@NonCPS
String summaryFromJson(String text) {
    try {
        def data = new groovy.json.JsonSlurperClassic().parseText(text)
        return (data instanceof Map && data.summary) ? data.summary.toString() : null
    } catch (Exception ignored) {
        return null
    }
}

/** "service check: message" for every failed or errored testcase. */
@NonCPS
List failuresFromJunit(String xml) {
    try {
        def root = new XmlSlurper().parseText(xml)
        List out = []
        root.depthFirst().findAll { it.name() == 'testcase' }.each { tc ->
            def bad = tc.children().find { it.name() == 'failure' || it.name() == 'error' }
            if (bad != null && !bad.isEmpty()) {
                String msg = bad.@message.text() ?: bad.text().readLines().find { it.trim() } ?: 'failed'
                out << "${tc.@classname.text()} ${tc.@name.text()}: ${msg}".trim()
            }
        }
        return out
    } catch (Exception ignored) {
        return []
    }
}

@NonCPS
String firstLine(String text) {
    return text.readLines().find { it.trim() } ?: ''
}

/** Engine JSON as plain maps and lists (serializable, unlike JsonSlurper's lazy maps). */
@NonCPS
Object parseJson(String text) {
    try {
        return new groovy.json.JsonSlurperClassic().parseText(text)
    } catch (Exception ignored) {
        return null
    }
}

@NonCPS
String lastLines(String text, int n) {
    List lines = text.readLines()
    return lines.subList(Math.max(0, lines.size() - n), lines.size()).join('\n')
}

@NonCPS
String descriptionFor(int code) {
    switch (code) {
        case 1: return 'FAILED'
        case 2: return 'configuration error, nothing changed'
        case 3: return 'environment error'
        default: return "engine exit ${code}"
    }
}

@NonCPS
String failureMessage(String step, int code, String summary) {
    String detail = summary ? ':\n' + summary : ' (no summary; see the engine output above)'
    switch (code) {
        case 1: return "${step} failed${detail}"
        case 2: return "${step}: configuration error (engine exit 2), nothing was changed${detail}"
        case 3: return "${step}: environment error (engine exit 3: Docker, disk or agent)${detail}"
        case 127: return "${step}: environment error: java not found on this agent (exit 127); set java, HOMEIQ_JAVA or JAVA_HOME"
        default: return "${step}: environment error: the engine did not finish (exit ${code}; killed or out of memory?)${detail}"
    }
}
