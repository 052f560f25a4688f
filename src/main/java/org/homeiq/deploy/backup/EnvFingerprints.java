package org.homeiq.deploy.backup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.homeiq.deploy.secrets.Dotenv;
import org.homeiq.deploy.secrets.FingerprintKey;

/**
 * Key names and value fingerprints of a {@code .env} file: enough to tell, after a rollback,
 * which settings changed since the backup, without a backup ever holding a secret.
 */
final class EnvFingerprints {
    private EnvFingerprints() {
    }

    /** Parsed with the engine's one .env parser: a malformed line is bad input naming file and line. */
    static Manifest.EnvFingerprint of(Path envFile, FingerprintKey key) {
        var out = new TreeMap<String, String>();
        for (Dotenv.Entry e : Dotenv.parse(envFile).entries()) {
            out.put(e.key(), key.of(e.value()));
        }
        return new Manifest.EnvFingerprint(envFile.getFileName().toString(), key.id(), out, null);
    }

    /**
     * What differs between the fingerprints of a backup and the {@code .env} now, one line per
     * kind of difference, or one line saying nothing did. Old manifests hold plain SHA-256
     * ("unkeyed"); fingerprints made with another key compare by key names only.
     */
    static List<String> changes(Manifest.EnvFingerprint then, Path envNow, FingerprintKey key) {
        Map<String, String> before = then.values();
        Map<String, String> now = new TreeMap<>();
        for (Dotenv.Entry e : Dotenv.parse(envNow).entries()) {
            now.put(e.key(), then.keyed() ? key.of(e.value()) : Sha256.of(e.value()));
        }
        boolean comparable = !then.keyed() || key.id().equals(then.keyId());
        var changed = new ArrayList<String>();
        var added = new ArrayList<String>();
        var removed = new ArrayList<String>();
        now.forEach((k, v) -> {
            if (!before.containsKey(k)) {
                added.add(k);
            } else if (comparable && !before.get(k).equals(v)) {
                changed.add(k);
            }
        });
        before.keySet().stream().filter(k -> !now.containsKey(k)).forEach(removed::add);
        var out = new ArrayList<String>();
        String how = !then.keyed() ? " (the backup's fingerprints are unkeyed SHA-256, from an older engine)"
                : comparable ? "" : " (the backup's fingerprints were made with another key, not this stack's "
                        + FingerprintKey.FILE + ": values cannot be compared, only key names)";
        if (changed.isEmpty() && added.isEmpty() && removed.isEmpty()) {
            out.add(envNow.getFileName() + ": " + (comparable ? "same keys and values" : "same keys") + " as at the backup" + how);
            return out;
        }
        if (!changed.isEmpty()) {
            out.add(envNow.getFileName() + ": changed since the backup: " + String.join(", ", changed) + how);
        } else if (!how.isEmpty()) {
            out.add(envNow.getFileName() + ":" + how.replaceFirst("^ \\((.*)\\)$", " $1"));
        }
        if (!added.isEmpty()) {
            out.add(envNow.getFileName() + ": added since the backup: " + String.join(", ", added));
        }
        if (!removed.isEmpty()) {
            out.add(envNow.getFileName() + ": removed since the backup: " + String.join(", ", removed));
        }
        return out;
    }
}
