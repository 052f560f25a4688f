// A stage gate around `input`: shows approvers what is about to happen (the day's waves and
// services, the last gate's result), restricts who may approve, records who did, times out.
// Given the day's plan (homeiqApproval.plan, on the agent, beforehand) it runs no node step, so
// the wait holds no executor. Arguments: resources/org/homeiq/pipeline/steps.json; see homeiqApproval.txt.

import org.homeiq.pipeline.BuildStory
import org.homeiq.pipeline.DayPlan
import org.homeiq.pipeline.StepArguments

/** The day's plan as a plain map [day, title, waves], for an approval that runs on no executor. Needs an agent. */
Map plan(Map args = [:]) {
    Map cfg = homeiqEngine.configure('homeiqApproval.plan', args)
    env.HOMEIQ_DAY = cfg.day.toString()
    String json = homeiqEngine.output(step: 'homeiqApproval.plan', config: cfg,
        command: ['plan'] + homeiqEngine.options('homeiqApproval.plan', cfg) + ['--format', 'json'])
    return DayPlan.parse(json, cfg.day)
}

String call(Map args = [:]) {
    Map cfg = homeiqEngine.configure('homeiqApproval', args)
    String day = cfg.day != null ? cfg.day.toString() : cfg.plan?.day
    if (day) {
        env.HOMEIQ_DAY = day
    }
    String what = day ? "Day ${day}" : (cfg.title ?: 'Deployment')

    if (cfg.skipOnTimer && startedByTimer()) {
        echo("${what}: started by the nightly timer and the pipeline skips approvals for timer runs (skipOnTimer)")
        env.HOMEIQ_APPROVED_BY = 'timer'
        record(what, 'skipped: started by timer', 'timer')
        return 'timer'
    }
    Map dayPlan = cfg.plan
    if (dayPlan == null && cfg.waves == null && cfg.day != null) {
        // No plan handed over: ask the engine, which needs this to run on an agent.
        dayPlan = plan(homeiqEngine.common(cfg + [plan: null]) + [day: cfg.day])
    }

    List waves = cfg.waves ?: dayPlan?.waves ?: []
    String title = cfg.title ?: dayPlan?.title ?: what
    String lastGate = cfg.lastGate ?: env.HOMEIQ_LAST_GATE ?: 'no health gate has run in this build yet'
    String text = DayPlan.approvalText(title, waves, lastGate, cfg.message)
    echo(text)

    String submitter = cfg.submitter ?: env.HOMEIQ_APPROVERS
    Map request = [message: text, ok: cfg.ok ?: "Deploy ${what.toLowerCase()}".toString(),
                   id: StepArguments.fileSafe("homeiq-${what}".toLowerCase()), submitterParameter: 'HOMEIQ_APPROVER']
    if (submitter) {
        request.submitter = submitter
    }
    def answer
    try {
        timeout(time: DayPlan.seconds(cfg.timeout.toString()), unit: 'SECONDS') {
            answer = input(request)
        }
    } catch (e) {
        String why = DayPlan.interruption(e, cfg.timeout.toString())
        if (why == null) {
            throw e
        }
        // Nothing was deployed: the stage ends ABORTED, not FAILED, and no rollback runs.
        currentBuild.result = 'ABORTED'
        echo("${what} not deployed: ${why}")
        record(what, why, null)
        env[BuildStory.APPROVAL] = "${what} not deployed: ${why}".toString()
        currentBuild.description = BuildStory.description(homeiqEngine.story())
        throw e
    }
    String approver = DayPlan.approverOf(answer)
    env.HOMEIQ_APPROVED_BY = approver
    echo("${what} approved by ${approver}")
    record(what, 'approved', approver)
    env[BuildStory.APPROVAL] = "${what} approved by ${approver}".toString()
    currentBuild.description = BuildStory.description(homeiqEngine.story())
    return approver
}

/** The approval record (who, when), kept until the next homeiq step on an agent writes and archives it. */
void record(String what, String outcome, String approver) {
    env.HOMEIQ_APPROVAL_FILE = StepArguments.fileSafe("approval-${what}".toLowerCase()) + '.json'
    env.HOMEIQ_APPROVAL_RECORD = DayPlan.record(what, outcome, approver, env.BUILD_NUMBER)
}

boolean startedByTimer() {
    return !currentBuild.getBuildCauses('hudson.triggers.TimerTrigger$TimerTriggerCause').isEmpty()
}
