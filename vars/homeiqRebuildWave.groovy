// Rebuild and redeploy one wave (or day, phase, service list): one `rebuild-wave` engine call.
// The engine gates each service before the next and rolls a failed one back to its restore
// point (onFailure: 'rollback'). See homeiqRebuildWave.txt.

Map call(Map args = [:]) {
    Map cfg = homeiqEngine.configure('homeiqRebuildWave', args, homeiqEngine.selectionDefaults() + [
        mode           : null,           // default: the wave's mode from the plan
        maxParallel    : null,           // default: the engine's (CPU count)
        noCache        : false,          // docker build --no-cache
        onFailure      : 'rollback',     // rollback | stop | continue
        label          : 'pre-rebuild',  // restore-point tag <image>:<label>
        timeout        : null,           // per-service health wait; default: the inventory's maxWait
        stabilityWindow: null,           // default: the wave's gate
    ])
    Map sel = homeiqEngine.selection('homeiqRebuildWave', cfg)
    List command = ['rebuild-wave'] + sel.args + homeiqEngine.optionArgs('homeiqRebuildWave', cfg, [
        mode           : [option: '--mode', values: ['sequential', 'parallel']],
        maxParallel    : [option: '--max-parallel', kind: 'count'],
        noCache        : [option: '--no-cache', kind: 'flag'],
        onFailure      : [option: '--on-failure', values: ['rollback', 'stop', 'continue']],
        label          : [option: '--label'],
        timeout        : [option: '--timeout', kind: 'duration'],
        stabilityWindow: [option: '--stability-window', kind: 'duration'],
    ])
    return homeiqEngine(step: 'homeiqRebuildWave', config: cfg, command: command,
        report: homeiqEngine.fileSafe("rebuild-wave-${sel.id}"), gate: true,
        outcome: "Rebuild of ${sel.text}")
}
