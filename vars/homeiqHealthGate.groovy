// Wait until services are healthy (HTTP /health, Docker health, no restarts during the stability
// window, no error lines in recent logs): one `health-gate` engine call.
// Arguments: resources/org/homeiq/pipeline/steps.json; see homeiqHealthGate.txt.

Map call(Map args = [:]) {
    Map cfg = homeiqEngine.configure('homeiqHealthGate', args)
    Map sel = homeiqEngine.selection('homeiqHealthGate', cfg)
    return homeiqEngine(step: 'homeiqHealthGate', config: cfg,
        command: ['health-gate'] + sel.args + homeiqEngine.options('homeiqHealthGate', cfg),
        report: "health-gate-${sel.id}", gate: true,
        what: "Health gate on ${sel.text}" + (cfg.gate ? " (gate ${cfg.gate})" : ''))
}
