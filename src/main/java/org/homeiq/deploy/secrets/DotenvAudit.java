package org.homeiq.deploy.secrets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Looks for the ways HomeIQ's {@code .env} leaks at rest: tracked by git, not ignored, readable by
 * other users, and the plaintext {@code .env.backup_*} copies the plan's own backup step leaves
 * behind. Reports paths and modes, never contents.
 */
public final class DotenvAudit {
    /** What the audit found; {@code notes} are limits of the audit itself (no git, no repo). */
    public record Result(List<String> findings, List<String> notes) {
    }

    /** Directories never searched: VCS data, dependencies, the engine's own state. */
    private static final Set<String> SKIP = Set.of(".git", "node_modules", ".venv", "venv", "__pycache__");
    private static final int MAX_DEPTH = 6;

    private DotenvAudit() {
    }

    public static Result run(Path projectDir) {
        var findings = new ArrayList<String>();
        var notes = new ArrayList<String>();
        Path dotenv = projectDir.resolve(".env");
        if (Files.isRegularFile(dotenv)) {
            String mode = openToOthers(dotenv);
            if (mode != null) {
                findings.add(".env is readable by other users (" + mode + "): chmod 600 .env");
            }
        } else {
            notes.add(".env does not exist in " + projectDir);
        }

        Set<String> tracked = trackedEnvFiles(projectDir, notes);
        for (String path : tracked == null ? Set.<String>of() : tracked) {
            findings.add(path + " is tracked by git: its values are in the repository history;"
                    + " git rm --cached it, add it to .gitignore, and rotate the secrets");
        }
        if (tracked != null && Files.isRegularFile(dotenv) && !tracked.contains(".env")
                && !ignored(projectDir, ".env")) {
            findings.add(".env is not ignored by git (a 'git add .' would commit it): add it to .gitignore");
        }

        for (Path copy : plaintextCopies(projectDir)) {
            String rel = projectDir.relativize(copy).toString().replace('\\', '/');
            String mode = openToOthers(copy);
            findings.add(rel + " is a plaintext copy of .env" + (mode == null ? "" : ", readable by other users (" + mode + ")")
                    + ": delete it (homeiq-deploy backup keeps fingerprints only)");
        }
        return new Result(findings, notes);
    }

    /** {@code .env.backup*} files (and {@code .env.bak}, {@code .env~}) anywhere in the checkout. */
    static List<Path> plaintextCopies(Path root) {
        var found = new TreeSet<Path>();
        try {
            Files.walkFileTree(root, Set.of(), MAX_DEPTH, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(root) && SKIP.contains(dir.getFileName().toString())
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if (attrs.isRegularFile() && (name.startsWith(".env.backup") || name.equals(".env.bak")
                            || name.equals(".env~") || name.startsWith(".env.bak."))) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // walkFileTree reports per-file failures to visitFileFailed; nothing else is expected.
        }
        return List.copyOf(found);
    }

    /** The permission string when group or others may read the file, else null. */
    private static String openToOthers(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                return java.nio.file.attribute.PosixFilePermissions.toString(perms);
            }
            return null;
        } catch (UnsupportedOperationException | IOException e) {
            return null;
        }
    }

    /** Tracked files named {@code .env} or {@code .env.*}, templates excepted; null when git cannot tell. */
    private static Set<String> trackedEnvFiles(Path dir, List<String> notes) {
        Git.Output out = Git.run(dir, "ls-files", "-z", "--cached");
        if (out == null) {
            notes.add("git is not installed: whether .env is tracked was not checked");
            return null;
        }
        if (out.exit() != 0) {
            notes.add(dir + " is not a git checkout: whether .env is tracked was not checked");
            return null;
        }
        var tracked = new TreeSet<String>();
        for (String path : out.stdout().split("\0")) {
            String name = path.substring(path.lastIndexOf('/') + 1);
            if ((name.equals(".env") || name.startsWith(".env.")) && !isTemplate(name)) {
                tracked.add(path);
            }
        }
        return tracked;
    }

    private static boolean isTemplate(String name) {
        return name.endsWith(".template") || name.endsWith(".example") || name.endsWith(".sample")
                || name.endsWith(".dist");
    }

    private static boolean ignored(Path dir, String path) {
        Git.Output out = Git.run(dir, "check-ignore", "-q", "--", path);
        return out != null && out.exit() == 0;
    }

    /** The few git queries the audit needs, run with an argument array and a deadline. */
    static final class Git {
        record Output(int exit, String stdout) {
        }

        /** Null when git cannot be started. */
        static Output run(Path dir, String... args) {
            var cmd = new ArrayList<String>(List.of("git", "-C", dir.toString()));
            cmd.addAll(List.of(args));
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                return null;
            }
            try (InputStream in = p.getInputStream()) {
                var buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Output(-1, "");
                }
                return new Output(p.exitValue(), buf.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                p.destroyForcibly();
                return new Output(-1, "");
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                return new Output(-1, "");
            }
        }
    }
}
