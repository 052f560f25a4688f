package org.homeiq.deploy.secrets;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.InputLimit;

/**
 * A parsed {@code .env} file: {@code KEY=value} lines in file order, each with its line number.
 *
 * <p>The syntax is the part Compose v1 (python-dotenv) and v2 (compose-go) read alike: blank
 * lines, {@code #} comments, an optional {@code export }, unquoted values (trimmed, a
 * {@code " #"} starts a comment), {@code '...'} literal and {@code "..."} with backslash escapes.
 * Multi-line values and {@code ${VAR}} interpolation are not supported.
 *
 * <p>Error messages name the file and line and never quote the line: a malformed line may be
 * nothing but a secret.
 */
public final class Dotenv {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** One {@code KEY=value} line. */
    public record Entry(String key, String value, int line) {
        @Override
        public String toString() {
            // Never the value: records end up in messages and debugger output.
            return key + "=" + Masker.MASK + " (line " + line + ")";
        }
    }

    private final String source;
    private final Map<String, Entry> entries;

    private Dotenv(String source, Map<String, Entry> entries) {
        this.source = source;
        this.entries = Collections.unmodifiableMap(entries);
    }

    public static boolean isValidName(String key) {
        return key != null && NAME.matcher(key).matches();
    }

    /** Reads and parses a file; every problem is reported at once, each with file and line. */
    public static Dotenv parse(Path file) {
        return parse(file, null);
    }

    /**
     * Reads and parses a file (refused at once above {@link InputLimit#DOTENV}), handing every
     * entry that parses to {@code seen} (may be null) before any error is thrown.
     */
    public static Dotenv parse(Path file, java.util.function.Consumer<Entry> seen) {
        String text;
        try {
            text = InputLimit.DOTENV.read(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read (" + e.getClass().getSimpleName() + ")");
        }
        return parse(file.toString(), text, seen);
    }

    /** Parses text; {@code source} names it in messages. */
    public static Dotenv parse(String source, String text) {
        return parse(source, text, null);
    }

    /**
     * Parses text and hands every entry that did parse to {@code seen} before any error is
     * thrown, so a caller can register the values with the masker even when the file is bad.
     */
    public static Dotenv parse(String source, String text, java.util.function.Consumer<Entry> seen) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\n", -1);
        var entries = new LinkedHashMap<String, Entry>();
        var errors = new ArrayList<String>();
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            try {
                Entry entry = parseLine(line, lineNo);
                if (entry == null) {
                    continue;
                }
                if (seen != null) {
                    seen.accept(entry);
                }
                Entry earlier = entries.get(entry.key());
                if (earlier != null) {
                    errors.add(source + ":" + lineNo + ": " + entry.key() + " is set twice (first on line "
                            + earlier.line() + ")");
                } else {
                    entries.put(entry.key(), entry);
                }
            } catch (LineError e) {
                errors.add(source + ":" + lineNo + ": " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new BadInputException(String.join(System.lineSeparator(), errors));
        }
        return new Dotenv(source, entries);
    }

    private static final class LineError extends Exception {
        LineError(String message) {
            super(message, null, false, false);
        }
    }

    private static Entry parseLine(String line, int lineNo) throws LineError {
        String rest = line.strip();
        if (rest.isEmpty() || rest.startsWith("#")) {
            return null;
        }
        if (rest.startsWith("export ") || rest.startsWith("export\t")) {
            rest = rest.substring("export".length()).stripLeading();
        }
        int eq = rest.indexOf('=');
        if (eq < 0) {
            throw new LineError("no '=' (expected KEY=VALUE)");
        }
        String key = rest.substring(0, eq).strip();
        if (!isValidName(key)) {
            // Not quoted back: what stands before '=' may be part of a secret (base64 padding).
            throw new LineError("the name before '=' is not a valid variable name"
                    + " (letters, digits and _, not starting with a digit)");
        }
        return new Entry(key, parseValue(rest.substring(eq + 1).stripLeading()), lineNo);
    }

    private static String parseValue(String raw) throws LineError {
        if (raw.isEmpty()) {
            return "";
        }
        char first = raw.charAt(0);
        if (first == '\'') {
            int close = raw.indexOf('\'', 1);
            if (close < 0) {
                throw new LineError("the single quote that opens the value is never closed"
                        + " (multi-line values are not supported)");
            }
            requireNothingAfter(raw.substring(close + 1));
            return raw.substring(1, close);
        }
        if (first == '"') {
            var value = new StringBuilder();
            for (int i = 1; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '"') {
                    requireNothingAfter(raw.substring(i + 1));
                    return value.toString();
                }
                if (c == '\\' && i + 1 < raw.length()) {
                    char next = raw.charAt(++i);
                    switch (next) {
                        case 'n' -> value.append('\n');
                        case 'r' -> value.append('\r');
                        case 't' -> value.append('\t');
                        case '"', '\\', '$' -> value.append(next);
                        default -> value.append('\\').append(next);
                    }
                } else {
                    value.append(c);
                }
            }
            throw new LineError("the double quote that opens the value is never closed"
                    + " (multi-line values are not supported)");
        }
        // Unquoted: whitespace then '#' starts a comment.
        String value = raw;
        for (int i = 1; i < value.length(); i++) {
            if (value.charAt(i) == '#' && Character.isWhitespace(value.charAt(i - 1))) {
                value = value.substring(0, i);
                break;
            }
        }
        return value.strip();
    }

    private static void requireNothingAfter(String tail) throws LineError {
        String t = tail.strip();
        if (!t.isEmpty() && !t.startsWith("#")) {
            throw new LineError("unexpected text after the closing quote of the value");
        }
    }

    /** Where the entries came from (a path or a name), for messages. */
    public String source() {
        return source;
    }

    /** The entries in file order. */
    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    public Optional<Entry> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** Builds a file from entries given in order (keys must be valid and distinct). */
    public static Dotenv of(String source, List<Entry> entries) {
        var map = new LinkedHashMap<String, Entry>();
        for (Entry e : entries) {
            if (!isValidName(e.key()) || map.put(e.key(), e) != null) {
                throw new IllegalArgumentException("bad or duplicate key " + e.key());
            }
        }
        return new Dotenv(source, map);
    }
}
