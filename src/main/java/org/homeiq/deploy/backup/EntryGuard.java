package org.homeiq.deploy.backup;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Decides whether a tar entry may be extracted into a volume. An entry is refused when its path is
 * absolute or climbs out with {@code ..}, when it is a symbolic link whose target is absolute or
 * resolves outside the volume, when it is a hard link to a path outside the archive root, or when
 * it is a device node. The root itself ({@code ./}) is allowed: its mode is the volume's mode.
 */
final class EntryGuard {
    private EntryGuard() {
    }

    /** Returns the entry's path relative to the volume root ("" for the root); throws when unsafe. */
    static String check(TarArchiveEntry entry) {
        String name = entry.getName();
        String rel = relative(name, "entry path");
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
                if (seg.equals("..")) {
                    if (parts.isEmpty()) {
                        throw unsafe(name, "symbolic link to '" + target + "' points outside the volume");
                    }
                    parts.remove(parts.size() - 1);
                } else {
                    parts.add(seg);
                }
            }
        } else if (entry.isLink()) {
            relative(entry.getLinkName(), "hard link target '" + entry.getLinkName() + "'");
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
