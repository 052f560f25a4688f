package org.homeiq.pipeline

import com.cloudbees.groovy.cps.NonCPS

/**
 * A deployment day as the approval shows it: the plan's waves in order, from
 * `plan --day N --format json`, as plain maps and lists (serializable, so the plan computed
 * on the agent can be handed to an approval that runs on no executor).
 */
class DayPlan {
    /** [day, title, waves: [[id, title, when, mode, services, gate]]] of plan --day N --format json. */
    @NonCPS
    static Map parse(String json, Object day) {
        def data = new groovy.json.JsonSlurperClassic().parseText(json)
        List stages = data instanceof Map ? (data.stages ?: []) : []
        List waves = []
        String title = null
        for (s in stages) {
            title = title ?: s.title?.toString()
            for (w in (s.waves ?: [])) {
                waves << [id: w.id?.toString(), title: w.title?.toString(), when: w.when?.toString(), mode: w.mode?.toString(),
                          services: (w.services ?: []).collect { it.toString() }, gate: w.gate?.toString()]
            }
        }
        return [day: day?.toString(), title: title ?: "Day ${day}".toString(), waves: waves]
    }

    @NonCPS
    static List waveIds(List waves) {
        return waves.collect { it.id }
    }

    @NonCPS
    static String overview(String title, List waves) {
        StringBuilder t = new StringBuilder("${title}\n")
        for (w in waves) {
            t << "  ${w.id} (${how(w)}): ${(w.services ?: []).join(', ')}\n"
        }
        return t.toString().trim()
    }

    @NonCPS
    static String approvalText(String title, List waves, String lastGate, String extra) {
        StringBuilder t = new StringBuilder("${title}: approve the deployment?\n")
        if (waves) {
            t << 'Waves, in order:\n'
            for (w in waves) {
                String how = how(w)
                t << "  ${w.id}${how ? " (${how})" : ''}: ${w.title ?: ''}\n"
                t << "      ${(w.services ?: []).join(', ')}\n"
            }
        }
        t << "Last gate: ${lastGate}"
        if (extra) {
            t << "\n${extra}"
        }
        return t.toString()
    }

    @NonCPS
    private static String how(Map w) {
        return [w.when, w.mode, w.gate ? "gate ${w.gate}" : null].findAll { it }.join(', ')
    }

    /** Durations as the engine writes them (30s, 5m, 1h, 250ms, bare seconds), in whole seconds. */
    @NonCPS
    static int seconds(String d) {
        def m = d =~ /^([0-9]+)(ms|s|m|h)?$/
        m.find()
        long n = m.group(1) as long
        switch (m.group(2)) {
            case 'ms': return Math.max(1, (int) (n / 1000))
            case 'm': return (int) (n * 60)
            case 'h': return (int) (n * 3600)
            default: return (int) n
        }
    }

    /** 'no approval within 2h (timed out)', 'rejected by bob', or null when the interruption is not the input's. */
    @NonCPS
    static String interruption(Throwable e, String timeout) {
        if (e.getClass().getSimpleName() != 'FlowInterruptedException') {
            return null
        }
        for (c in e.getCauses()) {
            String kind = c.getClass().getSimpleName()
            if (kind == 'ExceededTimeout') {
                return "no approval within ${timeout} (timed out)".toString()
            }
            if (kind == 'Rejection') {
                def user = c.getUser()
                return "rejected by ${user ? user.id : 'an approver'}".toString()
            }
        }
        return "aborted (${e.getCauses().collect { it.shortDescription }.join(', ')})".toString()
    }

    @NonCPS
    static String approverOf(Object answer) {
        if (answer instanceof Map) {
            return answer.HOMEIQ_APPROVER?.toString() ?: 'unknown'
        }
        return answer?.toString() ?: 'unknown'
    }

    /** The approval record (who, when, which build) as the JSON archived with the reports. */
    @NonCPS
    static String record(String what, String outcome, String approver, Object build) {
        return groovy.json.JsonOutput.prettyPrint(groovy.json.JsonOutput.toJson(
            [deployment: what, outcome: outcome, approvedBy: approver, build: build?.toString(),
             time: new Date().format("yyyy-MM-dd'T'HH:mm:ssXXX", TimeZone.getTimeZone('UTC'))])) + '\n'
    }
}
