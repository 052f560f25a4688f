package org.homeiq.deploy.model.load;

import java.util.HashMap;
import java.util.Map;

/**
 * Line numbers of one YAML file by JSON pointer ({@code /services/data-api/port} → 42), so that
 * problems found after binding can still name the file and line that caused them.
 */
final class SourceMap {
    private final String file;
    private final Map<String, Integer> lines = new HashMap<>();

    SourceMap(String file) {
        this.file = file;
    }

    void put(String pointer, int line) {
        lines.putIfAbsent(pointer, line);
    }

    Integer line(String pointer) {
        return lines.get(pointer);
    }

    String file() {
        return file;
    }

    /** {@code file:line} for the pointer, or for its nearest ancestor that has a line. */
    String where(String pointer) {
        String p = pointer;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return file + ":" + line;
            }
            int cut = p.lastIndexOf('/');
            if (cut < 0) {
                return file;
            }
            p = p.substring(0, cut);
        }
    }

    /** Escapes a map key for use in a JSON pointer. */
    static String key(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
