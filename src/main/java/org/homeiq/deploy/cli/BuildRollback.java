package org.homeiq.deploy.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.homeiq.deploy.ExitCode;
import org.homeiq.deploy.docker.ContainerState;
import org.homeiq.deploy.docker.ImageInfo;
import org.homeiq.deploy.model.Deployment;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.report.RunReport;
import org.homeiq.deploy.wave.Journal;

/**
 * {@code rollback --build TAG}: undo exactly what one Jenkins build changed. Every rebuild-wave run
 * of the build (its journal records {@code BUILD_TAG}) is undone, newest first; each service goes
 * back to the image it had before the build first touched it, and only when it runs something
 * else: a service already on its restore point is not touched, and when none changed there is
 * nothing to roll back (exit 0). The rollback command's fourth source, kept here so the command
 * stays a switch over its sources.
 */
final class BuildRollback {
    private BuildRollback() {
    }

    static int run(RollbackCommand c, String tag) {
        Console console = c.main.console();
        DockerProject p = DockerProject.open(c.project, c.docker, console);
        Deployment d = p.deployment();
        c.gate.validate(d.plan());
        List<String> names = List.copyOf(before(Journal.runsOfBuild(p.stateDir(), tag)).keySet());
        d.inventory().getAll(names);
        p.requireInCompose(names);
        p.connect();
        c.lock.hold(c.main, p.stateDir(), "rollback --build " + tag);
        List<Journal.Record> runs = Journal.runsOfBuild(p.stateDir(), tag); // again under the lock
        RunReport report = new RunReport("rollback --build " + tag);
        var targets = new ArrayList<RollbackCommand.Target>();
        for (Journal.Touch t : before(runs).values()) {
            String gate = t.gate() == null ? "deploy" : t.gate();
            String unchanged = unchanged(p, t);
            if (unchanged != null) {
                report.add(t.service(), t.wave()).status("unchanged").action(unchanged);
                console.line("  %s: %s", t.service(), unchanged);
            } else {
                targets.add(new RollbackCommand.Target(t.service(), t.wave(), t.imageRef(), t.oldImageId(), gate, null));
            }
        }
        console.line("rollback --build %s: %d run(s) (%s), newest first; %d of %d touched service(s) changed", tag,
                runs.size(), String.join(", ", runs.stream().map(Journal.Record::runId).toList()), targets.size(), names.size());
        if (targets.isEmpty()) {
            console.line("nothing to roll back: every service build %s touched runs its restore point", tag);
            report.finish(ExitCode.OK);
            c.docker.publish(report, console);
            return ExitCode.OK;
        }
        return c.restoreAndGate(p, report, targets, null);
    }

    /**
     * Per service, the touch of the oldest run of the build: the image before the build changed
     * anything. Ordered by the newest run that touched each service, newest first.
     */
    private static LinkedHashMap<String, Journal.Touch> before(List<Journal.Record> newestFirst) {
        var oldest = new LinkedHashMap<String, Journal.Touch>();
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            for (Journal.Touch t : newestFirst.get(i).touched()) {
                oldest.putIfAbsent(t.service(), t);
            }
        }
        var order = new LinkedHashMap<String, Journal.Touch>();
        for (Journal.Record r : newestFirst) {
            for (Journal.Touch t : r.touched()) {
                order.putIfAbsent(t.service(), oldest.get(t.service()));
            }
        }
        return order;
    }

    /** Why the service needs nothing, or null when it runs something other than its restore point. */
    private static String unchanged(DockerProject p, Journal.Touch t) {
        if ("restart".equals(t.kind())) {
            return "only restarted by this build (official image): not touched";
        }
        if (t.oldImageId() == null) {
            return "had no image before this build: nothing to go back to, not touched";
        }
        Optional<String> running = p.compose().containerId(t.service()).flatMap(p.docker()::container).map(ContainerState::imageId);
        Optional<String> tagged = p.docker().image(t.imageRef()).map(ImageInfo::id);
        boolean same = running.isPresent() && Objects.equals(running.get(), t.oldImageId())
                && Objects.equals(tagged.orElse(null), t.oldImageId());
        return same ? "already on its restore point: not touched" : null;
    }
}
