package org.homeiq.deploy.backup;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.homeiq.deploy.secrets.Dotenv;

/**
 * Key names and value fingerprints of a {@code .env} file: enough to tell, after a rollback,
 * which settings changed since the backup, without a backup ever holding a secret.
 */
final class EnvFingerprints {
    private EnvFingerprints() {
    }

    /** Parsed with the engine's one .env parser: a malformed line is bad input naming file and line. */
    static Map<String, String> of(Path envFile) {
        var out = new TreeMap<String, String>();
        for (Dotenv.Entry e : Dotenv.parse(envFile).entries()) {
            out.put(e.key(), Sha256.of(e.value()));
        }
        return out;
    }
}
