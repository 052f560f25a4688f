// Snapshot before change: volumes to checksummed archives, restore-point tags on every HomeIQ
// image, the compose file, .env fingerprints: one `backup` engine call.
// Arguments: resources/org/homeiq/pipeline/steps.json; see homeiqBackup.txt.

import org.homeiq.pipeline.StepArguments

Map call(Map args = [:]) {
    Map cfg = homeiqEngine.configure('homeiqBackup', args)
    // The contract gives backup --json only (no per-service JUnit).
    Map r = homeiqEngine(step: 'homeiqBackup', config: cfg, command: ['backup'] + homeiqEngine.options('homeiqBackup', cfg),
        report: StepArguments.fileSafe("backup-${cfg.label}"), junit: false, what: "Backup ${cfg.label}")
    String id = r.exitCode == 0 && r.reports.json ? backupId(readFile(r.reports.json)) : null
    if (id) {
        env.HOMEIQ_BACKUP_ID = id
    }
    return r + [id: id]
}

/** The engine's backup JSON: {result, dir, manifest: {id, label, ...}}. */
@NonCPS
String backupId(String json) {
    def data = new groovy.json.JsonSlurperClassic().parseText(json)
    def id = data instanceof Map ? (data.id ?: (data.manifest instanceof Map ? data.manifest.id : null)) : null
    return id ? id.toString() : null
}
