package org.homeiq.deploy.secrets;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces every known secret value with {@code ****} in text the engine prints or writes, and
 * the value's common encodings too (base64, URL-encoding, escaped inside quotes: see
 * {@link Encodings}). One instance per engine run, shared by the console and every report writer.
 */
public final class Masker {
    public static final String MASK = "****";

    private final List<String> needles = new ArrayList<>();
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
            if (!needles.contains(form)) {
                needles.add(form);
            }
        }
        // Longest first, so a value containing another value is masked whole.
        needles.sort(Comparator.comparingInt(String::length).reversed());
    }

    public synchronized boolean isEmpty() {
        return needles.isEmpty();
    }

    public synchronized String mask(String text) {
        if (text == null || needles.isEmpty()) {
            return text;
        }
        String out = text;
        for (String needle : needles) {
            out = out.replace(needle, MASK);
        }
        return out;
    }
}
