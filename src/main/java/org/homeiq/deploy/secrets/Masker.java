package org.homeiq.deploy.secrets;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Replaces every known secret value with {@code ****} in text the engine prints or writes, and
 * the value's encodings too: the common ones (base64, URL-encoding, escaped inside quotes) and
 * what the engine's JSON and XML writers make of them (see {@link Encodings}). Each output is
 * masked in its final encoding, so a value with {@code < & "} cannot slip through as
 * {@code &lt;} or {@code \"}. One instance per engine run, shared by the console and every writer.
 *
 * <p>Registering and masking take time linear in the text (see {@link NeedleIndex}): a
 * {@code .env} of 100k lines is registered in a fraction of a second.
 */
public final class Masker {
    public static final String MASK = "****";
    /**
     * Shortest line of a multi-line value masked on its own: consoles and log tails show a value
     * with a line break as two lines, neither of which contains the whole value.
     */
    static final int MIN_LINE = 4;

    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

    private final NeedleIndex needles = new NeedleIndex();
    private final Set<String> secrets = new HashSet<>();

    /**
     * Registers a secret value and its encodings; values too short to be secrets on their own
     * are still masked.
     */
    public synchronized void add(String secret) {
        if (secret == null || secret.isEmpty() || !secrets.add(secret)) {
            return;
        }
        for (String form : Encodings.of(secret)) {
            needles.add(form);
        }
        if (secret.indexOf('\n') >= 0 || secret.indexOf('\r') >= 0) {
            for (String line : LINE_BREAK.split(secret)) {
                if (line.strip().length() >= MIN_LINE) {
                    add(line);
                }
            }
        }
    }

    public synchronized boolean isEmpty() {
        return needles.isEmpty();
    }

    /** The text with every occurrence of a registered form replaced; touching occurrences become one mask. */
    public synchronized String mask(String text) {
        if (text == null || needles.isEmpty()) {
            return text;
        }
        boolean[] covered = needles.covered(text);
        StringBuilder out = null;
        for (int i = 0; i < covered.length; i++) {
            if (!covered[i]) {
                if (out != null) {
                    out.append(text.charAt(i));
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (i == 0 || !covered[i - 1]) {
                out.append(MASK);
            }
        }
        return out == null ? text : out.toString();
    }
}
