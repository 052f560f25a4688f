package org.homeiq.deploy.secrets;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Replaces every known secret value with {@code ****} in text the engine prints or writes.
 * One instance per engine run, shared by the console and every report writer.
 */
public final class Masker {
    public static final String MASK = "****";

    private final List<String> needles = new ArrayList<>();

    /** Registers a secret value; values too short to be secrets on their own are still masked. */
    public synchronized void add(String secret) {
        if (secret == null || secret.isEmpty() || needles.contains(secret)) {
            return;
        }
        needles.add(secret);
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
