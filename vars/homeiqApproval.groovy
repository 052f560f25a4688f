// A stage gate around `input`: shows approvers what is about to happen (the day's waves and
// services, the last gate's result), restricts who may approve, records who did, times out.
// See homeiqApproval.txt.

String call(Map args = [:]) {
    Map cfg = homeiqEngine.configure('homeiqApproval', args, [
        day        : null,    // the deployment day whose waves are shown (plan --day N --format json)
        waves      : null,    // the waves to show, if already known: [[id, title, when, mode, services, gate]]
        title      : null,    // headline, e.g. "Day 3: AI/ML Services (Critical)"; default from the plan
        message    : null,    // extra text for the approvers
        ok         : null,    // the approve button; default "Deploy day N"
        submitter  : null,    // users/groups who may approve (comma-separated); default env.HOMEIQ_APPROVERS, else anyone who may build
        timeout    : '2h',    // no answer within this: the stage is aborted, nothing deployed
        skipOnTimer: false,   // runs started by the cron trigger go ahead without asking
        lastGate   : null,    // default: the last gate this build ran (env.HOMEIQ_LAST_GATE)
    ])
    String problem = approvalProblem(cfg)
    if (problem) {
        error(problem)
    }
    String what = cfg.day ? "Day ${cfg.day}" : (cfg.title ?: 'Deployment')

    if (cfg.skipOnTimer && startedByTimer()) {
        echo("${what}: started by the nightly timer and the pipeline skips approvals for timer runs (skipOnTimer)")
        env.HOMEIQ_APPROVED_BY = 'timer'
        record(cfg, what, 'skipped: started by timer', 'timer')
        return 'timer'
    }

    // plan: the day's plan handed over from an agent (homeiqApproval.plan); then no engine call,
    // and so no agent, is needed here. A String plan is the engine's --plan overlay file.
    Map handed = cfg.plan instanceof Map ? cfg.plan : null
    List waves = cfg.waves != null ? cfg.waves : handed?.waves
    String title = cfg.title ?: handed?.title
    if (waves == null && cfg.day) {
        Map day = planDay(homeiqEngine.output(step: 'homeiqApproval', config: cfg,
            command: ['plan', '--day', cfg.day.toString(), '--format', 'json']))
        waves = day.waves
        title = title ?: day.title
    }
    String lastGate = cfg.lastGate ?: env.HOMEIQ_LAST_GATE ?: 'no health gate has run in this build yet'
    String text = approvalText(title ?: what, waves ?: [], lastGate, cfg.message)
    echo(text)

    String submitter = cfg.submitter ?: env.HOMEIQ_APPROVERS
    Map request = [message: text, ok: cfg.ok ?: "Deploy ${what.toLowerCase()}".toString(),
                 id: homeiqEngine.fileSafe("homeiq-${what}".toLowerCase()), submitterParameter: 'HOMEIQ_APPROVER']
    if (submitter) {
        request.submitter = submitter
    }
    def answer
    try {
        timeout(time: seconds(cfg.timeout.toString()), unit: 'SECONDS') {
            answer = input(request)
        }
    } catch (e) {
        String why = interruption(e, cfg.timeout.toString())
        if (why == null) {
            throw e
        }
        // Nothing was deployed: the stage ends ABORTED, not FAILED, and no rollback runs.
        currentBuild.result = 'ABORTED'
        currentBuild.description = "${what} not deployed: ${why}"
        echo("${what} not deployed: ${why}")
        record(cfg, what, why, null)
        throw e
    }
    String approver = approverOf(answer)
    env.HOMEIQ_APPROVED_BY = approver
    currentBuild.description = "${what} approved by ${approver}"
    echo("${what} approved by ${approver}")
    record(cfg, what, 'approved', approver)
    return approver
}

/**
 * The day's plan, computed on an agent and handed to an approval that runs without one:
 * [title: String, waves: List<Map>], plain and serialisable.
 */
Map plan(Map args = [:]) {
    Map cfg = homeiqEngine.configure('homeiqApproval.plan', args, [day: null])
    if (!(cfg.day?.toString() ==~ /[1-9][0-9]*/)) {
        error("homeiqApproval.plan: day must be a day number of the plan (1-5), got '${cfg.day}'")
    }
    return planDay(homeiqEngine.output(step: 'homeiqApproval.plan', config: cfg,
        command: ['plan', '--day', cfg.day.toString(), '--format', 'json']))
}

/** The approval, next to the engine's reports and archived with them (only on an agent). */
void record(Map cfg, String what, String outcome, String approver) {
    String json = approvalJson(what, outcome, approver, env.BUILD_NUMBER)
    if (!env.NODE_NAME) {
        // No workspace while waiting without an agent: the record goes to the log.
        echo("Approval record: ${json}")
        return
    }
    String dir = cfg.reportDir ?: 'homeiq-reports'
    String file = dir + '/' + homeiqEngine.fileSafe("approval-${what}".toLowerCase()) + '.json'
    writeFile(file: file, text: json)
    archiveArtifacts(artifacts: file, allowEmptyArchive: true, fingerprint: false)
}

boolean startedByTimer() {
    return !currentBuild.getBuildCauses('hudson.triggers.TimerTrigger$TimerTriggerCause').isEmpty()
}

@NonCPS
String approvalProblem(Map cfg) {
    if (cfg.day != null && !(cfg.day.toString() ==~ /[1-9][0-9]*/)) {
        return "homeiqApproval: day must be a day number of the plan (1-5), got '${cfg.day}'"
    }
    if (!(cfg.timeout?.toString() ==~ /[0-9]+(ms|s|m|h)?/)) {
        return "homeiqApproval: timeout must be a duration like 30m or 2h, got '${cfg.timeout}'"
    }
    if (cfg.skipOnTimer != true && cfg.skipOnTimer != false) {
        return "homeiqApproval: skipOnTimer must be true or false, got '${cfg.skipOnTimer}'"
    }
    if (cfg.waves != null && !(cfg.waves instanceof List)) {
        return 'homeiqApproval: waves must be a list of waves (as plan --format json gives them)'
    }
    return null
}

/** Durations as the engine writes them (30s, 5m, 1h, 250ms, bare seconds), in whole seconds. */
@NonCPS
int seconds(String d) {
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

/** 'timed out after 2h', 'rejected by bob', or null when the interruption is not the input's. */
@NonCPS
String interruption(Throwable e, String timeout) {
    if (e.getClass().getSimpleName() != 'FlowInterruptedException') {
        return null
    }
    for (c in e.getCauses()) {
        String kind = c.getClass().getSimpleName()
        if (kind == 'ExceededTimeout') {
            return "no approval within ${timeout} (timed out)"
        }
        if (kind == 'Rejection') {
            def user = c.getUser()
            return "rejected by ${user ? user.id : 'an approver'}"
        }
    }
    return "aborted (${e.getCauses().collect { it.shortDescription }.join(', ')})"
}

@NonCPS
String approverOf(Object answer) {
    if (answer instanceof Map) {
        return answer.HOMEIQ_APPROVER?.toString() ?: 'unknown'
    }
    return answer?.toString() ?: 'unknown'
}

/** The day of `plan --day N --format json`: stages[].waves[].{id,title,when,mode,services,gate}. */
@NonCPS
Map planDay(String json) {
    def data = new groovy.json.JsonSlurperClassic().parseText(json)
    List stages = data instanceof Map ? (data.stages ?: []) : []
    List waves = []
    String title = null
    for (s in stages) {
        title = title ?: s.title
        for (w in (s.waves ?: [])) {
            waves << [id: w.id, title: w.title, when: w.when, mode: w.mode,
                      services: (w.services ?: []).collect { it.toString() }, gate: w.gate]
        }
    }
    return [title: title, waves: waves]
}

@NonCPS
String approvalText(String title, List waves, String lastGate, String extra) {
    StringBuilder t = new StringBuilder("${title}: approve the deployment?\n")
    if (waves) {
        t << "Waves, in order:\n"
        for (w in waves) {
            String how = [w.when, w.mode, w.gate ? "gate ${w.gate}" : null].findAll { it }.join(', ')
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
String approvalJson(String what, String outcome, String approver, Object build) {
    return groovy.json.JsonOutput.prettyPrint(groovy.json.JsonOutput.toJson(
        [deployment: what, outcome: outcome, approvedBy: approver, build: build?.toString(),
         time: new Date().format("yyyy-MM-dd'T'HH:mm:ssXXX", TimeZone.getTimeZone('UTC'))])) + '\n'
}
