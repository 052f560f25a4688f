// Wait until services are healthy (HTTP /health, Docker health, no restarts during the stability
// window, no error lines in recent logs): one `health-gate` engine call. See homeiqHealthGate.txt.

Map call(Map args = [:]) {
    Map cfg = homeiqEngine.configure('homeiqHealthGate', args, homeiqEngine.selectionDefaults() + [
        gate           : null,   // gate settings by name from the plan (deploy, deploy-ai, phase1, ...)
        timeout        : null,   // per-service wait; default: the inventory's maxWait
        stabilityWindow: null,   // default: the gate's
        logLines       : null,   // default: the gate's
        errorPattern   : null,   // default: the gate's
        baseline       : null,   // latency baseline file
    ])
    Map sel = homeiqEngine.selection('homeiqHealthGate', cfg)
    List command = ['health-gate'] + sel.args + homeiqEngine.optionArgs('homeiqHealthGate', cfg, [
        gate           : [option: '--gate'],
        timeout        : [option: '--timeout', kind: 'duration'],
        stabilityWindow: [option: '--stability-window', kind: 'duration'],
        logLines       : [option: '--log-lines', kind: 'count'],
        errorPattern   : [option: '--error-pattern'],
        baseline       : [option: '--baseline'],
    ])
    String gateName = cfg.gate ? " (gate ${cfg.gate})" : ''
    return homeiqEngine(step: 'homeiqHealthGate', config: cfg, command: command,
        report: homeiqEngine.fileSafe("health-gate-${sel.id}"), gate: true,
        outcome: "Health gate on ${sel.text}${gateName}")
}
