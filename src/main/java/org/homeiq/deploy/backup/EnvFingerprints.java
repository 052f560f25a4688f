package org.homeiq.deploy.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.EnvironmentException;

/**
 * Key names and value fingerprints of a {@code .env} file: enough to tell, after a rollback,
 * which settings changed since the backup, without a backup ever holding a secret.
 */
final class EnvFingerprints {
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    private EnvFingerprints() {
    }

    /** Parses compose's .env syntax: KEY=VALUE, optional {@code export }, quotes, # comments. */
    static Map<String, String> of(Path envFile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(envFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EnvironmentException("cannot read " + envFile + ": " + ArchiveWriter.reason(e), e);
        }
        var out = new TreeMap<String, String>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? line : line.substring(0, eq).strip();
            if (eq < 0 || !KEY.matcher(key).matches()) {
                // Never echo the line: it may be a value pasted on its own.
                throw new BadInputException(envFile + ":" + (i + 1) + ": not a KEY=VALUE line");
            }
            out.put(key, Sha256.of(unquote(line.substring(eq + 1).strip())));
        }
        return out;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
