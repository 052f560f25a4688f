package org.homeiq.deploy;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * How large each kind of input file may be (docs/engine-cli.md, "Input limits"). A larger file is
 * refused before a byte of it is parsed, naming the file and the limit; below the limits every
 * parser runs in time linear in the file. YAML lines are bounded too: SnakeYAML copies its read
 * window once per 1 KiB while it scans one run of characters, which is quadratic in the length
 * of a single long line (a 2.5 MB one-line scalar took seconds, a 60 MB one minutes).
 */
public enum InputLimit {
    DOTENV("a .env file", 16 * InputLimit.MIB, 0),
    YAML("an inventory, plan, overlay or key catalog file", 2 * InputLimit.MIB, InputLimit.YAML_LINE),
    COMPOSE("a compose file", 2 * InputLimit.MIB, InputLimit.YAML_LINE),
    BASELINE("a latency baseline file", InputLimit.MIB, 0),
    MANIFEST("a backup manifest", 4 * InputLimit.MIB, 0);

    private static final long MIB = 1024 * 1024;
    /** Longest line of a YAML file, in characters. */
    public static final int YAML_LINE = 16 * 1024;

    private final String what;
    private final long maxBytes;
    private final int maxLine;

    InputLimit(String what, long maxBytes, int maxLine) {
        this.what = what;
        this.maxBytes = maxBytes;
        this.maxLine = maxLine;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Refuses the file when it is larger than the limit; a missing file passes (its reader says so). */
    public void check(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            return;
        }
        if (size > maxBytes) {
            throw new BadInputException(file + ": " + size + " bytes, more than the " + mib(maxBytes) + " " + what
                    + " may have (docs/engine-cli.md, Input limits)");
        }
    }

    /** The file's UTF-8 text, after the size (and for YAML the line length) is checked. */
    public String read(Path file) throws IOException {
        check(file);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (CharacterCodingException e) {
            throw new BadInputException(file + ": not UTF-8 text");
        }
        if (maxLine > 0) {
            checkLines(file, text);
        }
        return text;
    }

    private void checkLines(Path file, String text) {
        int line = 1;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                if (i - start > maxLine) {
                    throw new BadInputException(file + ":" + line + ": a line of " + (i - start)
                            + " characters is longer than the " + maxLine + " a line of " + what
                            + " may have (docs/engine-cli.md, Input limits)");
                }
                line++;
                start = i + 1;
            }
        }
    }

    private static String mib(long bytes) {
        return bytes / MIB + " MiB";
    }
}
