// One deployment day of the plan: the plan on the agent, the approval on no executor, then on
// the agent (agentLabel) the backup and each of the day's waves rebuilt and health-gated in order,
// the day rolled back to its restore points when a wave fails. Each part is one engine call.
// Arguments: resources/org/homeiq/pipeline/steps.json; see homeiqDeploymentDay.txt.

import org.homeiq.pipeline.BuildStory
import org.homeiq.pipeline.DayPlan

Map call(Map args = [:]) {
    Map cfg = homeiqEngine.configure('homeiqDeploymentDay', args)
    Map common = homeiqEngine.common(cfg)
    Map dayPlan = onAgent(cfg) { homeiqApproval.plan(common + [day: cfg.day]) }
    List waves = dayPlan.waves
    String title = dayPlan.title
    echo(DayPlan.overview(title, waves))
    if (!waves) {
        error("homeiqDeploymentDay: the plan has no waves for day ${cfg.day}")
    }
    List ids = DayPlan.waveIds(waves)
    if (cfg.dryRun) {
        echo("Dry run: would back up (label ${cfg.label}), then rebuild and gate ${ids.join(', ')}; nothing changed")
        currentBuild.description = "${title}: dry run, nothing changed"
        return [day: cfg.day, waves: ids, dryRun: true]
    }
    String approver = null
    if (cfg.approve) {
        // Outside any node: the wait holds no executor.
        approver = homeiqApproval(day: cfg.day, plan: dayPlan, submitter: cfg.submitter,
                                  timeout: cfg.approvalTimeout, skipOnTimer: cfg.skipApprovalOnTimer)
    }
    List done = []
    onAgent(cfg) {
        withDotenv(cfg, common) {
            if (cfg.backup) {
                // Before any change: if it fails, there is nothing to roll back.
                homeiqBackup(common + [label: cfg.label, volumes: cfg.volumes, quiesce: cfg.quiesce, keep: cfg.keep])
            }
            try {
                for (int i = 0; i < waves.size(); i++) {
                    Map w = waves[i]
                    homeiqRebuildWave(common + [wave: w.id, label: cfg.label, noCache: cfg.noCache,
                                                maxParallel: cfg.maxParallel, maxBuilds: cfg.maxBuilds, timeout: cfg.timeout])
                    homeiqHealthGate(common + [wave: w.id, gate: w.gate, timeout: cfg.timeout,
                                               stabilityWindow: cfg.stabilityWindow])
                    done << w.id
                }
            } catch (e) {
                if (DayPlan.interruption(e, '') != null) {
                    throw e   // aborted by a user or a timeout: keep the abort
                }
                echo(e.message)
                if (cfg.rollbackOnFailure) {
                    try {
                        // Exactly what this build changed (its journal runs), when Jenkins names the build;
                        // else the day to the label the backup tagged every image with first.
                        homeiqRollback(common + (env.BUILD_TAG ? [build: env.BUILD_TAG] : [label: cfg.label, day: cfg.day]))
                    } catch (re) {
                        echo(re.message)   // the story says "FAILED too"
                    }
                } else {
                    env[BuildStory.AFTER] = 'not rolled back (rollbackOnFailure: false)'
                    currentBuild.description = BuildStory.description(homeiqEngine.story())
                }
                error("homeiqDeploymentDay: ${BuildStory.line(homeiqEngine.story())}")
            }
        }
    }
    return [day: cfg.day, waves: done, approvedBy: approver]
}

/** The body on the day's agent; inside a node already (an older Jenkinsfile), right there. */
Object onAgent(Map cfg, Closure body) {
    if (env.NODE_NAME) {
        return body()
    }
    return node(cfg.agentLabel) { body() }
}

/** The body inside homeiqWithDotenv (dotenv: its arguments), unless a block is already open or dotenv is false. */
Object withDotenv(Map cfg, Map common, Closure body) {
    if (cfg.dotenv == false || env.HOMEIQ_ENV_FILE) {
        return body()
    }
    return homeiqWithDotenv(common + cfg.dotenv) { body() }
}
