package org.homeiq.pipeline

import com.cloudbees.groovy.cps.NonCPS

/** Where the engine jar is looked for on an agent: explicit, the per-version cache, a verified download. */
class EngineJar {
    @NonCPS
    static String explicit(Map config, Map env) {
        return (config.engineJar ?: env.HOMEIQ_ENGINE_JAR)?.toString()
    }

    @NonCPS
    static String cached(Map config, Map env, boolean unix, String version) {
        String sep = unix ? '/' : '\\'
        String cache = config.engineCache ?: env.HOMEIQ_ENGINE_CACHE
        if (!cache) {
            cache = unix ? "${env.HOME}/.cache/homeiq-deploy" : "${env.LOCALAPPDATA ?: env.USERPROFILE}\\homeiq-deploy"
        }
        return "${cache}${sep}${version}${sep}homeiq-deploy-${version}.jar".toString()
    }

    @NonCPS
    static Map pinned(String properties) {
        Properties p = new Properties()
        p.load(new StringReader(properties))
        return [version: p.getProperty('version'), sha256: (p.getProperty('sha256') ?: null)]
    }

    @NonCPS
    static String artifactUrl(String repository, String version) {
        String base = repository.endsWith('/') ? repository[0..-2] : repository
        return "${base}/org/homeiq/homeiq-deploy/${version}/homeiq-deploy-${version}.jar".toString()
    }

    @NonCPS
    static String notFound(String step, String version, List tried) {
        return "${step}: no engine jar (org.homeiq:homeiq-deploy:${version}) on this agent. Tried:\n  - " + tried.join('\n  - ')
    }
}
