package org.homeiq.deploy.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.docker.ComposeFile;
import org.homeiq.deploy.model.Wave;
import org.homeiq.deploy.report.Console;

/**
 * The compose file says which services exist: a plan-wide selection ({@code --all}, {@code --day},
 * {@code --phase}, {@code --wave}) on a checkout with fewer services than the plan acts on those the
 * compose file defines and says once which it skips. Naming a service with {@code --services} is
 * different: one that is not there is bad input (see {@link DockerProject#requireInCompose}).
 */
final class ComposeScope {
    private ComposeScope() {
    }

    /** The waves with only the compose file's services; waves left empty are dropped; none left is bad input. */
    static List<Wave> present(List<Wave> waves, ComposeFile compose, Console console, String selection) {
        var kept = new ArrayList<Wave>();
        var skipped = new LinkedHashSet<String>();
        for (Wave w : waves) {
            List<String> here = w.services().stream().filter(compose::hasService).toList();
            w.services().stream().filter(s -> !compose.hasService(s)).forEach(skipped::add);
            if (here.size() == w.services().size()) {
                kept.add(w);
            } else if (!here.isEmpty()) {
                kept.add(new Wave(w.id(), w.title(), w.when(), w.mode(), here, w.gate()));
            }
        }
        if (kept.isEmpty()) {
            throw new BadInputException(selection + ": none of its services is in " + compose.path() + " (it has: "
                    + String.join(", ", compose.services().stream().map(ComposeFile.ComposeService::name).toList())
                    + "); nothing to do");
        }
        if (!skipped.isEmpty()) {
            console.line("warning: %s: %d service(s) skipped, not in %s: %s", selection, skipped.size(),
                    compose.path().getFileName(), String.join(", ", skipped));
        }
        return kept;
    }
}
