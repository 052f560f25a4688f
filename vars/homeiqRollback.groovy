// Put services back on their restore-point images (by label or a wave's journal), or restore a
// verified backup: one `rollback` engine call. See homeiqRollback.txt.

Map call(Map args = [:]) {
    Map cfg = homeiqEngine.configure('homeiqRollback', args, homeiqEngine.selectionDefaults() + [
        journal       : null,   // 'latest' or a run id: undo what that rebuild-wave run changed
        label         : null,   // restore-point label, with a selection
        backup        : null,   // backup id, with services or all
        restoreVolumes: false,  // with backup: also restore the volumes
    ])
    String problem = modeProblem(cfg)
    if (problem) {
        error(problem)
    }
    List command = ['rollback']
    String id
    String text
    if (cfg.journal) {
        command += ['--journal', cfg.journal.toString()]
        id = "journal-${cfg.journal}"
        text = "journal ${cfg.journal}"
    } else {
        Map sel = homeiqEngine.selection('homeiqRollback', cfg)
        if (cfg.label) {
            command += ['--label', cfg.label.toString()] + sel.args
            id = "${cfg.label}-${sel.id}"
            text = "${sel.text} to ${cfg.label}"
        } else {
            command += ['--backup', cfg.backup.toString()] + (cfg.restoreVolumes ? ['--restore-volumes'] : []) + sel.args
            id = "backup-${cfg.backup}-${sel.id}"
            text = "${sel.text} from backup ${cfg.backup}${cfg.restoreVolumes ? ' with volumes' : ''}"
        }
    }
    return homeiqEngine(step: 'homeiqRollback', config: cfg, command: command,
        report: homeiqEngine.fileSafe("rollback-${id}"), gate: true, outcome: "Rollback of ${text}")
}

@NonCPS
String modeProblem(Map cfg) {
    List modes = ['journal', 'label', 'backup'].findAll { cfg[it] }
    if (modes.size() != 1) {
        return "homeiqRollback: give exactly one of journal, label (with a selection), backup (with services or all); got ${modes ? modes.join(', ') : 'none'}"
    }
    boolean selected = ['services', 'wave', 'day', 'phase', 'all'].any { cfg[it] }
    if (cfg.journal && selected) {
        return 'homeiqRollback: journal takes no selection (the journal says what was changed)'
    }
    if (cfg.backup && (cfg.wave || cfg.day || cfg.phase)) {
        return 'homeiqRollback: backup takes services or all, not wave/day/phase'
    }
    if (cfg.restoreVolumes && !cfg.backup) {
        return 'homeiqRollback: restoreVolumes needs backup'
    }
    if (cfg.restoreVolumes != true && cfg.restoreVolumes != false) {
        return "homeiqRollback: restoreVolumes must be true or false, got '${cfg.restoreVolumes}'"
    }
    return null
}
