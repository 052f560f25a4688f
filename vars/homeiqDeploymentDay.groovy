// One deployment day of the plan: approval, backup, then each of the day's waves rebuilt and
// health-gated in order, and the day rolled back to its restore points when any of it fails.
// Each part is one engine call (plan, backup, rebuild-wave and health-gate per wave, rollback).
// See homeiqDeploymentDay.txt.

Map call(Map args = [:]) {
    Map cfg = homeiqEngine.configure('homeiqDeploymentDay', args, [
        day                : null,           // required: 1-5
        approve            : true,           // ask for approval first (homeiqApproval)
        submitter          : null,           // who may approve; default env.HOMEIQ_APPROVERS
        approvalTimeout    : '2h',           // no answer: aborted, nothing deployed
        skipApprovalOnTimer: false,          // timer-started runs go ahead without asking
        backup             : true,           // homeiqBackup first (also tags every image with label)
        label              : 'pre-rebuild',  // restore-point label of the backup, the waves and the rollback
        volumes            : null,           // backup: volumes (default all)
        quiesce            : null,           // backup: services stopped while their volume is read
        keep               : null,           // backup: retention
        noCache            : false,          // rebuild: docker build --no-cache
        maxParallel        : null,           // rebuild: bound for parallel waves
        timeout            : null,           // rebuild and gate: per-service wait
        stabilityWindow    : null,           // gate: default the wave's gate
        rollbackOnFailure  : true,           // roll the day's services back to label when anything fails
        dryRun             : false,          // show the day and what would run; change nothing
    ])
    String problem = dayProblem(cfg)
    if (problem) {
        error(problem)
    }
    String day = cfg.day.toString()
    Map common = commonOf(cfg, homeiqEngine.commonDefaults())

    Map plan = homeiqApproval.planDay(homeiqEngine.output(step: 'homeiqDeploymentDay', config: cfg,
        command: ['plan', '--day', day, '--format', 'json']))
    List waves = plan.waves
    String title = plan.title ?: "Day ${day}"
    echo(dayOverview(title, waves))
    if (!waves) {
        error("homeiqDeploymentDay: the plan has no waves for day ${day}")
    }
    if (cfg.dryRun) {
        echo("Dry run: would back up (label ${cfg.label}), then rebuild and gate ${waveIds(waves).join(', ')}; nothing changed")
        currentBuild.description = "${title}: dry run, nothing changed"
        return [day: cfg.day, waves: waveIds(waves), dryRun: true]
    }

    String approver = null
    if (cfg.approve) {
        approver = homeiqApproval(common + [day: cfg.day, waves: waves, title: title, submitter: cfg.submitter,
                                            timeout: cfg.approvalTimeout, skipOnTimer: cfg.skipApprovalOnTimer])
    }
    if (cfg.backup) {
        homeiqBackup(common + [label: cfg.label, volumes: cfg.volumes, quiesce: cfg.quiesce, keep: cfg.keep])
    }
    List done = []
    String current = null
    try {
        for (int i = 0; i < waves.size(); i++) {
            Map w = waves[i]
            current = w.id
            homeiqRebuildWave(common + [wave: w.id, label: cfg.label, noCache: cfg.noCache,
                                        maxParallel: cfg.maxParallel, timeout: cfg.timeout])
            homeiqHealthGate(common + [wave: w.id, gate: w.gate, timeout: cfg.timeout,
                                       stabilityWindow: cfg.stabilityWindow])
            done << w.id
        }
    } catch (e) {
        if (!cfg.rollbackOnFailure) {
            currentBuild.description = "${title}: wave ${current} FAILED; not rolled back (rollbackOnFailure: false)"
            throw e
        }
        String rolledBack
        try {
            // The backup tagged every image with the label first, so services the day never
            // reached are already on their restore point and roll back to themselves.
            homeiqRollback(common + [label: cfg.label, day: cfg.day])
            rolledBack = "day ${day} rolled back to ${cfg.label}"
        } catch (re) {
            rolledBack = "ROLLBACK FAILED TOO: ${re.message}"
        }
        currentBuild.description = "${title}: wave ${current} FAILED; ${rolledBack}"
        if (homeiqApproval.interruption(e, '') != null) {
            throw e   // aborted by a user or a timeout: keep the abort
        }
        error("${e.message}\n${title}: wave ${current} failed after ${done ? done.join(', ') : 'no completed wave'}; ${rolledBack}")
    }
    currentBuild.description = "${title}: ${done.join(', ')} deployed and healthy" + (approver ? ", approved by ${approver}" : '')
    return [day: cfg.day, waves: done, approvedBy: approver]
}

@NonCPS
String dayProblem(Map cfg) {
    if (cfg.day == null) {
        return 'homeiqDeploymentDay: day is required (1-5)'
    }
    if (!(cfg.day.toString() ==~ /[1-9][0-9]*/)) {
        return "homeiqDeploymentDay: day must be a day number of the plan (1-5), got '${cfg.day}'"
    }
    for (k in ['approve', 'skipApprovalOnTimer', 'backup', 'noCache', 'rollbackOnFailure', 'dryRun']) {
        if (cfg[k] != true && cfg[k] != false) {
            return "homeiqDeploymentDay: ${k} must be true or false, got '${cfg[k]}'"
        }
    }
    return null
}

/** The arguments every step shares, passed on to the steps of the day. */
@NonCPS
Map commonOf(Map cfg, Map commonDefaults) {
    return cfg.findAll { k, v -> commonDefaults.containsKey(k) }
}

@NonCPS
List waveIds(List waves) {
    return waves.collect { it.id }
}

@NonCPS
String dayOverview(String title, List waves) {
    StringBuilder t = new StringBuilder("${title}\n")
    for (w in waves) {
        t << "  ${w.id} (${[w.when, w.mode, w.gate ? "gate ${w.gate}" : null].findAll { it }.join(', ')}): ${(w.services ?: []).join(', ')}\n"
    }
    return t.toString().trim()
}
