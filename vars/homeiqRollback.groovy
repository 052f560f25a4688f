// Put services back: what one Jenkins build changed (build), one rebuild-wave run (journal), a
// selection to a restore-point label, or a verified backup: one `rollback` engine call.
// Arguments: resources/org/homeiq/pipeline/steps.json; see homeiqRollback.txt.

Map call(Map args = [:]) {
    Map cfg = homeiqEngine.configure('homeiqRollback', args)
    String problem = modeProblem(cfg)
    if (problem) {
        error(problem)
    }
    List mode = homeiqEngine.options('homeiqRollback', cfg)
    String id
    String text
    String done
    if (cfg.build) {
        id = "build-${cfg.build}"
        text = "what build ${cfg.build} changed"
        done = "build ${cfg.build}'s changes rolled back"
    } else if (cfg.journal) {
        id = "journal-${cfg.journal}"
        text = "journal ${cfg.journal}"
        done = "run ${cfg.journal} rolled back"
    } else {
        Map sel = homeiqEngine.selection('homeiqRollback', cfg)
        mode += sel.args
        if (cfg.label) {
            id = "${cfg.label}-${sel.id}"
            text = "${sel.text} to ${cfg.label}"
            done = "${sel.text} rolled back to ${cfg.label}"
        } else {
            id = "backup-${cfg.backup}-${sel.id}"
            text = "${sel.text} from backup ${cfg.backup}${cfg.restoreVolumes ? ' with volumes' : ''}"
            done = "${sel.text} restored from backup ${cfg.backup}"
        }
    }
    return homeiqEngine(step: 'homeiqRollback', config: cfg, command: ['rollback'] + mode,
        report: org.homeiq.pipeline.StepArguments.fileSafe("rollback-${id}"), gate: true, what: "Rollback of ${text}",
        rolledBack: done)
}

@NonCPS
String modeProblem(Map cfg) {
    List modes = ['build', 'journal', 'label', 'backup'].findAll { cfg[it] }
    if (modes.size() != 1) {
        return "homeiqRollback: give exactly one of build, journal, label (with a selection), backup (with services or all); got ${modes ? modes.join(', ') : 'none'}"
    }
    boolean selected = ['services', 'wave', 'day', 'phase', 'all'].any { cfg[it] }
    if ((cfg.build || cfg.journal) && selected) {
        return "homeiqRollback: ${modes[0]} takes no selection (the journal says what was changed)"
    }
    if (cfg.backup && (cfg.wave || cfg.day || cfg.phase)) {
        return 'homeiqRollback: backup takes services or all, not wave/day/phase'
    }
    if (cfg.restoreVolumes && !cfg.backup) {
        return 'homeiqRollback: restoreVolumes needs backup'
    }
    return null
}
