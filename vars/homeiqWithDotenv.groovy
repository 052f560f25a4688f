// Binds the secrets compose needs from Jenkins credentials, renders the .env into a private file
// outside the workspace's tracked files, runs the body with its path in HOMEIQ_ENV_FILE (which
// every homeiq step passes to the engine as --env-file), and removes it however the body ends.
// See homeiqWithDotenv.txt and docs/dotenv.md.

Object call(Map args = [:], Closure body) {
    Map cfg = homeiqEngine.configure('homeiqWithDotenv', args, [
        template     : '.env.template',   // per-key mode: the committed template (keys, settings, empty secrets)
        credentialsId: null,              // file mode: a Secret file credential holding a whole .env
        credentials  : [:],               // per-key mode: KEY -> credential id, over the convention
        variable     : 'HOMEIQ_ENV_FILE', // the variable the body gets the rendered file's path in
        allowMissing : false,             // render even when required keys are missing
    ])
    String problem = dotenvProblem(cfg)
    if (problem) {
        error(problem)
    }
    boolean unix = isUnix()
    String sep = unix ? '/' : '\\'
    // @tmp is next to the workspace, never inside it: nothing there is tracked or archived.
    String privateDir = pwd(tmp: true) + sep + 'homeiq-dotenv-' + uniqueId()
    String out = privateDir + sep + '.env'
    String saved = currentBuild.description
    try {
        if (cfg.credentialsId) {
            echo("homeiqWithDotenv: file mode (${cfg.credentialsId}). Jenkins masks the file's path, not the values in it: " +
                'the homeiq steps mask every value in their own output, but whatever the body prints itself ' +
                '(env, cat, docker compose config) is shown as is. Prefer per-key mode.')
            return withCredentials([file(credentialsId: cfg.credentialsId.toString(), variable: 'HOMEIQ_DOTENV_SOURCE')]) {
                render(cfg, env.HOMEIQ_DOTENV_SOURCE, out, saved)
                return withEnv(bodyEnv(cfg, out)) { body() }
            }
        }
        List bindings = secretBindings(cfg)
        echo("homeiqWithDotenv: ${bindings.size()} secret(s) from credentials: ${describe(bindings)}")
        List credentials = []
        for (int i = 0; i < bindings.size(); i++) {
            credentials << string(credentialsId: bindings[i].id, variable: 'HOMEIQ_SECRET_' + bindings[i].key)
        }
        return withCredentials(credentials) {
            render(cfg, cfg.template.toString(), out, saved)
            // Inside the binding: Jenkins masks every bound value in whatever the body prints.
            return withEnv(bodyEnv(cfg, out)) { body() }
        }
    } finally {
        // Success, failure or abort: the rendered secrets do not outlive the body.
        dir(privateDir) {
            deleteDir()
        }
    }
}

/** The template's secret keys and their credential ids, asked of the engine (it owns dotenv.yaml). */
List secretBindings(Map cfg) {
    String listing = homeiqEngine.output(step: 'homeiqWithDotenv', config: engineConfig(cfg),
        command: ['dotenv', 'keys', '--template', cfg.template.toString()])
    Map parsed = parseBindings(listing, cfg.credentials ?: [:])
    if (parsed.error) {
        error(parsed.error)
    }
    return parsed.bindings
}

void render(Map cfg, String template, String out, String description) {
    List command = ['dotenv', 'render', '--template', template, '--out', out]
    if (cfg.allowMissing) {
        command << '--allow-missing'
    }
    homeiqEngine(step: 'homeiqWithDotenv', config: engineConfig(cfg), command: command, outcome: 'Rendering .env')
    // Rendering is a means, not an outcome: keep what the build said before.
    currentBuild.description = description
}

/** HOMEIQ_ENV_FILE for the homeiq steps in the body, and the caller's own name for it if another. */
@NonCPS
List bodyEnv(Map cfg, String out) {
    return (["HOMEIQ_ENV_FILE=${out}", "${cfg.variable}=${out}"] as LinkedHashSet).collect { it.toString() }
}

/** The engine options for the dotenv calls: no --env-file of an outer binding. */
@NonCPS
Map engineConfig(Map cfg) {
    return cfg + [envFile: null]
}

@NonCPS
String dotenvProblem(Map cfg) {
    if (!(cfg.variable ==~ /[A-Za-z_][A-Za-z0-9_]*/)) {
        return "homeiqWithDotenv: variable must be a variable name, got '${cfg.variable}'"
    }
    if (!(cfg.credentials instanceof Map)) {
        return "homeiqWithDotenv: credentials must be a map KEY: 'credential-id', got '${cfg.credentials}'"
    }
    if (cfg.credentialsId && cfg.credentials) {
        return 'homeiqWithDotenv: credentials (per-key mode) and credentialsId (file mode) exclude each other'
    }
    if (cfg.allowMissing != true && cfg.allowMissing != false) {
        return "homeiqWithDotenv: allowMissing must be true or false, got '${cfg.allowMissing}'"
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
