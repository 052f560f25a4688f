package org.homeiq.deploy.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.homeiq.deploy.docker.ProcessResult;
import org.homeiq.deploy.docker.ProcessRunner;

/**
 * This checkout's working tree, as it is now (uncommitted changes and untracked files included,
 * ignored ones not), committed to a fresh Git repository: what Jenkins loads the shared library
 * from. Works the same in a clone, a worktree or a CI checkout.
 */
final class LibrarySnapshot {
    static final String BRANCH = "main";

    private LibrarySnapshot() {
    }

    /** A repository at {@code repo} whose branch {@link #BRANCH} holds the working tree of {@code checkout}. */
    static Path commit(Path checkout, Path repo) {
        // Only our own repository: no GIT_DIR of an enclosing hook or worktree, no user config needed.
        var env = new HashMap<String, String>();
        for (String v : List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY")) {
            env.put(v, null);
        }
        env.putAll(Map.of("GIT_AUTHOR_NAME", "homeiq-e2e", "GIT_AUTHOR_EMAIL", "e2e@homeiq.invalid",
                "GIT_COMMITTER_NAME", "homeiq-e2e", "GIT_COMMITTER_EMAIL", "e2e@homeiq.invalid"));
        ProcessRunner git = new ProcessRunner(env, null);
        String gitDir = "--git-dir=" + repo.resolve(".git");
        String workTree = "--work-tree=" + checkout.toAbsolutePath();
        run(git, "git", "init", "-q", "-b", BRANCH, repo.toString());
        run(git, "git", gitDir, workTree, "add", "-A");
        run(git, "git", gitDir, workTree, "commit", "-q", "--no-verify", "-m", "working tree of " + checkout.toAbsolutePath());
        return repo;
    }

    private static void run(ProcessRunner git, String... command) {
        ProcessResult r = git.run(List.of(command), Duration.ofMinutes(1));
        if (!r.ok()) {
            throw new AssertionError("the library snapshot needs git: " + r.diagnostic());
        }
    }
}
