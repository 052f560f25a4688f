package org.homeiq.deploy.model.load;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Line numbers of one YAML file by JSON pointer ({@code /services/data-api/port} → 42), so that
 * problems found after binding can still name the file and line that caused them.
 */
final class SourceMap {
    private final String file;
    private final Map<String, Integer> lines = new HashMap<>();

    private SourceMap(String file) {
        this.file = file;
    }

    static SourceMap of(String file, String text, YAMLFactory factory) throws IOException {
        SourceMap map = new SourceMap(file);
        try (JsonParser p = factory.createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                String pointer = p.getParsingContext().pathAsPointer().toString();
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    // The new container's own context has no name yet; its parent holds the pointer.
                    var parent = p.getParsingContext().getParent();
                    pointer = parent == null ? "" : parent.pathAsPointer().toString();
                }
                map.lines.putIfAbsent(pointer, p.currentTokenLocation().getLineNr());
            }
        }
        return map;
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
