package org.homeiq.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.homeiq.deploy.cli.Main;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.secrets.Masker;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The step declarations (resources/org/homeiq/pipeline/steps.json) against what documents and
 * runs them: every step in vars/ has its help page naming each of its arguments and no other,
 * and every engine option a parameter becomes is an option of that engine command.
 */
class HelpPagesTest {
    static final Path SPEC = Path.of("resources/org/homeiq/pipeline/steps.json");
    static final Pattern TERM = Pattern.compile("<dt>([^<]+)</dt>");

    final JsonNode spec = read();

    static JsonNode read() {
        try {
            return new ObjectMapper().readTree(SPEC.toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String page(String step) throws IOException {
        return Files.readString(Path.of("vars", step.split("\\.")[0] + ".txt"));
    }

    /** The argument names a help page documents in its definition lists. */
    static Set<String> terms(String page) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = TERM.matcher(page);
        while (m.find()) {
            for (String t : m.group(1).split(",")) {
                out.add(t.trim());
            }
        }
        return out;
    }

    List<String> own(String step) {
        List<String> names = new ArrayList<>();
        spec.get("steps").get(step).get("parameters").forEach(p -> names.add(p.get("name").asText()));
        return names;
    }

    List<String> declared(String step) {
        List<String> names = new ArrayList<>(own(step));
        spec.get("steps").get(step).path("groups").forEach(g ->
                spec.get("groups").get(g.asText()).get("parameters").forEach(p -> names.add(p.get("name").asText())));
        return names;
    }

    @Test
    void everyStepHasAHelpPageAndADeclaration() throws IOException {
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
            assertTrue(page.contains("<pre>"), help + " has an example (a <pre> block)");
            assertTrue(spec.get("steps").has(name), name + " is declared in " + SPEC);
            // Declared once: the step file holds no argument list of its own.
            assertFalse(Files.readString(step).matches("(?s).*configure\\([^)]*,[^)]*,\\s*\\[.*"), step + " declares arguments itself");
        }
    }

    @Test
    void eachHelpPageDocumentsExactlyTheDeclaredArguments() throws IOException {
        for (var it = spec.get("steps").fieldNames(); it.hasNext(); ) {
            String step = it.next();
            Set<String> documented = terms(page(step));
            for (String p : own(step)) {
                assertTrue(documented.contains(p), "vars/" + step.split("\\.")[0] + ".txt documents " + step + " argument " + p);
            }
            if (!step.contains(".")) {
                List<String> declared = declared(step);
                for (String t : documented) {
                    assertTrue(declared.contains(t), "vars/" + step + ".txt documents '" + t + "', which " + step + " does not take");
                }
            }
        }
        for (var it = spec.get("groups").fields(); it.hasNext(); ) {
            var group = it.next();
            String home = group.getValue().get("documentedIn").asText();
            Set<String> documented = terms(page(home));
            group.getValue().get("parameters").forEach(p ->
                    assertTrue(documented.contains(p.get("name").asText()), home + ".txt documents " + p.get("name").asText()));
        }
    }

    @Test
    void everyEngineOptionAStepPassesIsAnOptionOfThatCommand() {
        int checked = 0;
        for (var it = spec.get("steps").fields(); it.hasNext(); ) {
            var step = it.next();
            String command = step.getValue().path("command").asText(null);
            if (command == null) {
                continue;
            }
            CommandLine.Model.CommandSpec engine = command(command);
            List<JsonNode> params = new ArrayList<>();
            step.getValue().get("parameters").forEach(params::add);
            step.getValue().path("groups").forEach(g -> spec.get("groups").get(g.asText()).get("parameters").forEach(params::add));
            for (JsonNode p : params) {
                String option = p.path("option").asText(null);
                if (option == null) {
                    continue;
                }
                CommandLine.Model.OptionSpec o = engine.findOption(option);
                assertNotNull(o, step.getKey() + "." + p.get("name").asText() + ": " + command + " has no option " + option);
                boolean flag = "flag".equals(p.get("type").asText());
                assertEquals(flag, o.arity().max() == 0, step.getKey() + "." + p.get("name").asText() + ": " + option
                        + (flag ? " takes a value, the step passes it bare" : " is a flag, the step passes a value"));
                checked++;
            }
        }
        assertTrue(checked > 30, "checked " + checked + " options");
    }

    static CommandLine.Model.CommandSpec command(String command) {
        String[] words = command.split(" ");
        CommandLine cl = Main.commandLine(new Console(System.out, System.err, new Masker()), words[0]);
        for (String w : words) {
            cl = cl.getSubcommands().get(w);
            assertNotNull(cl, "no engine command " + command);
        }
        return cl.getCommandSpec();
    }
}
