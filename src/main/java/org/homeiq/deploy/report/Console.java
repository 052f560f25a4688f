package org.homeiq.deploy.report;

import java.io.PrintStream;
import org.homeiq.deploy.secrets.Masker;

/**
 * The stage log. Everything the engine tells a human goes through here, so every line is masked
 * and lines from parallel workers never interleave mid-line.
 */
public final class Console {
    private final PrintStream out;
    private final PrintStream err;
    private final Masker masker;

    public Console(PrintStream out, PrintStream err, Masker masker) {
        this.out = out;
        this.err = err;
        this.masker = masker;
    }

    public static Console system(Masker masker) {
        return new Console(System.out, System.err, masker);
    }

    public Masker masker() {
        return masker;
    }

    public synchronized void line(String text) {
        out.println(masker.mask(text));
        out.flush();
    }

    public synchronized void line(String format, Object... args) {
        line(String.format(format, args));
    }

    public synchronized void error(String text) {
        err.println(masker.mask(text));
        err.flush();
    }
}
