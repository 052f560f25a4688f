package org.homeiq.deploy.backup;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Decides whether a tar entry may be extracted into a volume. An entry is refused when its path is
 * absolute or climbs out with {@code ..}, when it is a symbolic link whose target is absolute or
 * resolves outside the volume, when it is a hard link to a path outside the archive root, or when
 * it is a device node. The root itself ({@code ./}) is allowed: its mode is the volume's mode.
 *
 * <p>One guard reads one archive: it remembers the symbolic links it has passed, and refuses an
 * entry whose path, or a link target whose resolution, goes through one of them. {@code tar c}
 * never writes such entries (it does not follow links), and only through a link could a path that
 * looks inside end up outside ({@code x -> .} then {@code y -> x/..}).
 */
final class EntryGuard {
    private final java.util.Set<String> links = new java.util.HashSet<>();

    /** Returns the entry's path relative to the volume root ("" for the root); throws when unsafe. */
    String check(TarArchiveEntry entry) {
        String name = entry.getName();
        String rel = relative(name, "entry path");
        List<String> own = segments(rel);
        for (int i = 1; i < own.size(); i++) {
            if (links.contains(String.join("/", own.subList(0, i)))) {
                throw unsafe(name, "path goes through the symbolic link '" + String.join("/", own.subList(0, i)) + "'");
            }
        }
        if (entry.isSymbolicLink()) {
            String target = entry.getLinkName();
            if (target == null || target.isEmpty()) {
                throw unsafe(name, "symbolic link without a target");
            }
            if (target.startsWith("/")) {
                throw unsafe(name, "symbolic link to absolute path '" + target + "' points outside the volume");
            }
            // Resolve against the link's own directory: the link must land inside the root.
            List<String> parts = segments(rel);
            if (!parts.isEmpty()) {
                parts.remove(parts.size() - 1);
            }
            for (String seg : target.split("/")) {
                if (seg.isEmpty() || seg.equals(".")) {
                    continue;
                }
                if (!parts.isEmpty() && links.contains(String.join("/", parts))) {
                    throw unsafe(name, "symbolic link to '" + target + "' resolves through another symbolic link");
                }
                if (seg.equals("..")) {
                    if (parts.isEmpty()) {
                        throw unsafe(name, "symbolic link to '" + target + "' points outside the volume");
                    }
                    parts.remove(parts.size() - 1);
                } else {
                    parts.add(seg);
                }
            }
            links.add(rel);
        } else if (entry.isLink()) {
            String target = relative(entry.getLinkName(), "hard link target '" + entry.getLinkName() + "'");
            List<String> t = segments(target);
            for (int i = 1; i < t.size(); i++) {
                if (links.contains(String.join("/", t.subList(0, i)))) {
                    throw unsafe(name, "hard link target '" + entry.getLinkName() + "' goes through a symbolic link");
                }
            }
        } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            throw unsafe(name, "device node");
        }
        return rel;
    }

    /** The normalised relative form of an archive path; absolute paths and {@code ..} are refused. */
    private static String relative(String path, String what) {
        if (path == null || path.isEmpty()) {
            throw unsafe(String.valueOf(path), what + " is empty");
        }
        if (path.startsWith("/")) {
            throw unsafe(path, what + " is absolute");
        }
        if (path.indexOf('\0') >= 0 || path.contains("\\")) {
            throw unsafe(path, what + " contains a NUL or backslash");
        }
        List<String> parts = segments(path);
        return String.join("/", parts);
    }

    private static List<String> segments(String path) {
        var parts = new ArrayList<String>();
        for (String seg : path.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                throw unsafe(path, "path contains '..'");
            }
            parts.add(seg);
        }
        return parts;
    }

    private static BackupFailedException unsafe(String name, String why) {
        return new BackupFailedException("unsafe archive entry '" + name + "': " + why + "; refusing to extract");
    }
}
