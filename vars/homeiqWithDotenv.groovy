// Binds the secrets compose needs from Jenkins credentials, renders the .env into a private file
// outside the workspace's tracked files (one engine call per block), runs the body with its path
// in HOMEIQ_ENV_FILE (which every homeiq step passes to the engine as --env-file), and removes it
// however the body ends. Arguments: resources/org/homeiq/pipeline/steps.json; see
// homeiqWithDotenv.txt and docs/dotenv.md.

import org.homeiq.pipeline.EngineCommand
import org.homeiq.pipeline.StepArguments

Object call(Map args = [:], Closure body) {
    Map cfg = homeiqEngine.configure('homeiqWithDotenv', args)
    String problem = dotenvProblem(cfg)
    if (problem) {
        error(problem)
    }
    // The dotenv calls of an inner block never pass an outer block's --env-file.
    Map engineCfg = cfg + [envFile: null]
    boolean unix = homeiqEngine.agent('homeiqWithDotenv', engineCfg).unix
    String sep = unix ? '/' : '\\'
    // @tmp is next to the workspace, never inside it: nothing there is tracked or archived.
    String privateDir = pwd(tmp: true) + sep + 'homeiq-dotenv-' + uniqueId()
    String out = privateDir + sep + '.env'
    try {
        if (cfg.credentialsId) {
            echo("homeiqWithDotenv: file mode (${cfg.credentialsId}). Jenkins masks the file's path, not the values in it: " +
                'the homeiq steps mask every value in their own output, but whatever the body prints itself ' +
                '(env, cat, docker compose config) is shown as is. Prefer per-key mode.')
            return withCredentials([file(credentialsId: cfg.credentialsId.toString(), variable: 'HOMEIQ_DOTENV_SOURCE')]) {
                return render(engineCfg, env.HOMEIQ_DOTENV_SOURCE, out) ? withEnv(bodyEnv(cfg, out)) { body() } : null
            }
        }
        List bindings = secretBindings(engineCfg)
        echo("homeiqWithDotenv: ${bindings.size()} secret(s) from credentials: ${describe(bindings)}")
        List credentials = []
        for (int i = 0; i < bindings.size(); i++) {
            credentials << string(credentialsId: bindings[i].id, variable: 'HOMEIQ_SECRET_' + bindings[i].key)
        }
        return withCredentials(credentials) {
            // Inside the binding: Jenkins masks every bound value in whatever the body prints.
            return render(engineCfg, cfg.template.toString(), out) ? withEnv(bodyEnv(cfg, out)) { body() } : null
        }
    } finally {
        // Success, failure or abort: the rendered secrets do not outlive the body (one shell, not dir + deleteDir).
        String rm = EngineCommand.removeDir(unix, privateDir)
        unix ? sh(script: rm) : bat(script: '@' + rm)
    }
}

/**
 * The template's secret keys and their credential ids, asked of the engine (it owns dotenv.yaml)
 * once per build, agent and template; later blocks reuse the answer.
 */
List secretBindings(Map cfg) {
    String key = "${env.NODE_NAME ?: ''}|${cfg.projectDir}|${cfg.template}"
    if (env.HOMEIQ_DOTENV_KEYS_FOR != key) {
        env.HOMEIQ_DOTENV_KEYS = homeiqEngine.output(step: 'homeiqWithDotenv', config: cfg,
            command: ['dotenv', 'keys', '--template', cfg.template.toString()])
        env.HOMEIQ_DOTENV_KEYS_FOR = key
    }
    Map parsed = parseBindings(env.HOMEIQ_DOTENV_KEYS, cfg.credentials ?: [:])
    if (parsed.error) {
        error(parsed.error)
    }
    return parsed.bindings
}

/** One engine call; false when it failed after the build had already failed (the body is not run then). */
boolean render(Map cfg, String template, String out) {
    Map r = homeiqEngine(step: 'homeiqWithDotenv', config: cfg, what: 'Rendering .env', quiet: true,
        command: ['dotenv', 'render', '--template', template, '--out', out] + (cfg.allowMissing ? ['--allow-missing'] : []))
    if (r.exitCode != 0) {
        echo('homeiqWithDotenv: the body was not run: no .env')
        return false
    }
    return true
}

/** HOMEIQ_ENV_FILE for the homeiq steps in the body, and the caller's own name for it if another. */
@NonCPS
List bodyEnv(Map cfg, String out) {
    return (["HOMEIQ_ENV_FILE=${out}", "${cfg.variable}=${out}"] as LinkedHashSet).collect { it.toString() }
}

@NonCPS
String dotenvProblem(Map cfg) {
    if (!(cfg.variable ==~ /[A-Za-z_][A-Za-z0-9_]*/)) {
        return "homeiqWithDotenv: variable must be a variable name, got '${cfg.variable}'"
    }
    if (cfg.credentialsId && cfg.credentials) {
        return 'homeiqWithDotenv: credentials (per-key mode) and credentialsId (file mode) exclude each other'
    }
    return null
}

/** `dotenv keys` prints 'KEY credential-id' per line; overrides replace ids and must name a listed key. */
@NonCPS
Map parseBindings(String listing, Map overrides) {
    List bindings = []
    for (String line : listing.readLines()) {
        String t = line.trim()
        if (!t) { continue }
        List w = t.split(/\s+/) as List
        if (w.size() != 2) {
            return [error: "homeiqWithDotenv: unexpected line from 'dotenv keys': ${t}"]
        }
        String key = w[0]
        bindings << [key: key, id: (overrides[key] ?: w[1]).toString()]
    }
    List unknown = (overrides.keySet() as List).findAll { k -> !bindings.any { it.key == k } }.sort()
    if (unknown) {
        return [error: "homeiqWithDotenv: credentials names ${unknown.join(', ')}, which the template does not list as a secret key " +
            "(its secret keys: ${bindings.collect { it.key }.join(', ') ?: 'none'})"]
    }
    return [bindings: bindings]
}

@NonCPS
String describe(List bindings) {
    return bindings.collect { "${it.key} <- ${it.id}" }.join(', ') ?: 'none'
}

@NonCPS
String uniqueId() {
    return UUID.randomUUID().toString()
}
