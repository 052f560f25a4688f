package org.homeiq.deploy.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** A PrintStream whose every line goes to a Console method, so nested engine runs share its masking. */
final class ConsoleOutput extends OutputStream {
    private final Consumer<String> sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private ConsoleOutput(Consumer<String> sink) {
        this.sink = sink;
    }

    static PrintStream of(Consumer<String> sink) {
        return new PrintStream(new ConsoleOutput(sink), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            flushLine();
        } else if (b != '\r') {
            line.write(b);
        }
    }

    @Override
    public synchronized void close() {
        if (line.size() > 0) {
            flushLine();
        }
    }

    private void flushLine() {
        sink.accept(line.toString(StandardCharsets.UTF_8));
        line.reset();
    }
}
