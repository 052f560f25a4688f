// Rebuild and redeploy one wave (or day, phase, service list): one `rebuild-wave` engine call.
// The engine gates each service before the next and rolls a failed one back to its restore
// point (onFailure: 'rollback'). Arguments: resources/org/homeiq/pipeline/steps.json; see homeiqRebuildWave.txt.

Map call(Map args = [:]) {
    Map cfg = homeiqEngine.configure('homeiqRebuildWave', args)
    Map sel = homeiqEngine.selection('homeiqRebuildWave', cfg)
    return homeiqEngine(step: 'homeiqRebuildWave', config: cfg,
        command: ['rebuild-wave'] + sel.args + homeiqEngine.options('homeiqRebuildWave', cfg),
        report: "rebuild-wave-${sel.id}", gate: true, what: "Rebuild of ${sel.text}")
}
