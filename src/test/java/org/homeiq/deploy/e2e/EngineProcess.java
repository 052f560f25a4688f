package org.homeiq.deploy.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The engine as a separate JVM (same classpath as the tests), for tests that kill it or change its environment. */
final class EngineProcess {
    private EngineProcess() {
    }

    static Process start(Map<String, String> env, Path output, String... args) throws IOException {
        var cmd = new ArrayList<String>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.homeiq.deploy.cli.Main");
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(output.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return pb.start();
    }
}
