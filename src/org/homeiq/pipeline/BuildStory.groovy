package org.homeiq.pipeline

import com.cloudbees.groovy.cps.NonCPS

/**
 * The build description as the day's story: the first failure (day, wave, service, check), then
 * what was done about it, and who approved. A later step's outcome never replaces a failure.
 * The story lives in environment variables (plain strings survive a controller restart).
 */
class BuildStory {
    static final String APPROVAL = 'HOMEIQ_STORY_APPROVAL'
    static final String FAILURE = 'HOMEIQ_STORY_FAILURE'
    static final String AFTER = 'HOMEIQ_STORY_AFTER'
    static final String LAST = 'HOMEIQ_STORY_LAST'

    /**
     * The story variables after a step: what it was ("Rebuild of wave d1-core"), its result, and
     * for a rollback what it did in words ("day 1 rolled back"). Returns only the changed ones.
     */
    @NonCPS
    static Map after(Map env, String what, Map result, String rolledBack) {
        String outcome = result.outcome ?: ''
        String day = env.HOMEIQ_DAY
        boolean failedBefore = env[FAILURE] as boolean
        if (result.exitCode == 0) {
            if (!failedBefore) {
                return [(LAST): "${what}: ${outcome}".toString()]
            }
            if (rolledBack) {
                String healthy = outcome.startsWith('PASSED, ') ? ', ' + outcome.substring('PASSED, '.length()) : ": ${outcome}"
                return [(AFTER): join(env[AFTER], "${rolledBack}${healthy}")]
            }
            return [:]
        }
        if (failedBefore) {
            return [(AFTER): join(env[AFTER], "${what} FAILED too: ${outcome}")]
        }
        String story = outcome.startsWith('FAILED') ? "${day ? "Day ${day}" : what} ${outcome}" :
            "${day ? "Day ${day}: " : ''}${what}: ${outcome}"
        return [(FAILURE): story.toString()]
    }

    @NonCPS
    static List keys(Map m) {
        return new ArrayList(m.keySet())
    }

    /** The description from the story variables. */
    @NonCPS
    static String description(Map env) {
        String main = env[FAILURE] ? (env[FAILURE] + (env[AFTER] ? "; ${env[AFTER]}" : '')) : (env[LAST] ?: '')
        String approval = env[APPROVAL]
        if (!approval) {
            return main
        }
        return main ? "${main} (${approval})".toString() : approval
    }

    /** The whole story in one line, for the error that ends a build or a day. */
    @NonCPS
    static String line(Map env) {
        return description(env)
    }

    @NonCPS
    private static String join(Object before, String more) {
        return before ? "${before}; ${more}".toString() : more
    }
}
