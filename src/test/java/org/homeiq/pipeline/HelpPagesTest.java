package org.homeiq.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every step in vars/ has its help page, and the page names every argument the step takes. */
class HelpPagesTest {
    // "name : default," lines of the argument maps given to homeiqEngine.configure
    static final Pattern ARGUMENT = Pattern.compile("^\\s{8}(\\w+)\\s*:\\s*.+?,\\s*(//.*)?$", Pattern.MULTILINE);

    @Test
    void everyStepHasAHelpPageWithItsArgumentsAndAnExample() throws IOException {
        List<Path> steps;
        try (Stream<Path> s = Files.list(Path.of("vars"))) {
            steps = s.filter(p -> p.toString().endsWith(".groovy")).sorted().toList();
        }
        assertFalse(steps.isEmpty());
        for (Path step : steps) {
            String name = step.getFileName().toString().replace(".groovy", "");
            Path help = step.resolveSibling(name + ".txt");
            assertTrue(Files.exists(help), "missing " + help);
            String page = Files.readString(help);
            assertTrue(page.contains("<b>" + name + "</b>"), help + " names its step");
            assertTrue(page.contains("Example"), help + " has an example");
            Matcher m = ARGUMENT.matcher(Files.readString(step));
            while (m.find()) {
                assertTrue(page.contains(m.group(1)), help + " documents argument " + m.group(1));
            }
        }
    }
}
