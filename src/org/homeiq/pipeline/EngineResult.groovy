package org.homeiq.pipeline

import com.cloudbees.groovy.cps.NonCPS

/**
 * The engine's result file (--result) as a plain map: exitCode, outcome (one line), failure
 * (the engine's own words), failed [service, wave, check, ...], reports [json, junit]. When the
 * engine wrote none (java missing, killed), a result that says so.
 */
class EngineResult {
    @NonCPS
    static Map parse(String text, int exitCode) {
        Map r = null
        if (text) {
            try {
                def data = new groovy.json.JsonSlurperClassic().parseText(text)
                r = data instanceof Map ? (Map) data : null
            } catch (Exception ignored) {
                r = null
            }
        }
        if (r == null) {
            String why = exitCode == 127 ?
                'environment error: java not found on this agent (exit 127); set java, HOMEIQ_JAVA or JAVA_HOME' :
                "environment error: the engine did not finish (exit ${exitCode}; killed or out of memory?); see the log above"
            return [exitCode: exitCode, outcome: why, failure: why, failed: [], reports: [:]]
        }
        // The shell's exit status is the truth; the file says why.
        return r + [exitCode: exitCode, failed: r.failed ?: [], reports: r.reports ?: [:]]
    }

    /** The stage's error: the step's name and the engine's failure text, as the engine wrote it. */
    @NonCPS
    static String message(String step, Map result) {
        return "${step}: ${result.failure ?: result.outcome}".toString()
    }
}
