// Snapshot before change: volumes to checksummed archives, restore-point tags on every HomeIQ
// image, the compose file, .env fingerprints: one `backup` engine call. See homeiqBackup.txt.

Map call(Map args = [:]) {
    Map cfg = homeiqEngine.configure('homeiqBackup', args, [
        label  : 'pre-rebuild',  // restore-point tag on every image, and the backup's label
        volumes: null,           // default: every named volume of the compose file
        quiesce: null,           // services stopped while their volume is read, started again after
        keep   : null,           // retention: keep the newest N complete backups
    ])
    List command = ['backup'] + homeiqEngine.optionArgs('homeiqBackup', cfg, [
        label  : [option: '--label'],
        volumes: [option: '--volumes', kind: 'list'],
        quiesce: [option: '--quiesce', kind: 'list'],
        keep   : [option: '--keep', kind: 'count'],
    ])
    // The contract gives backup --json only (no per-service JUnit).
    Map r = homeiqEngine(step: 'homeiqBackup', config: cfg, command: command,
        report: homeiqEngine.fileSafe("backup-${cfg.label}"), junit: false,
        outcome: "Backup ${cfg.label}")
    String id = backupId(r.result)
    if (id) {
        env.HOMEIQ_BACKUP_ID = id
        currentBuild.description = "Backup ${cfg.label}: OK (${id})"
    }
    return r + [id: id]
}

@NonCPS
String backupId(Object result) {
    return (result instanceof Map && result.id) ? result.id.toString() : null
}
