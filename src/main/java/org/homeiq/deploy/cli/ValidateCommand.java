package org.homeiq.deploy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.homeiq.deploy.ExitCode;
import org.homeiq.deploy.docker.ComposeFile;
import org.homeiq.deploy.model.load.DeploymentLoader;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.validate.Finding;
import org.homeiq.deploy.validate.PlanValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code validate}: check inventory, plan and compose file against each other, touching nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check the inventory, the plan and the project's compose file (when there is one) before",
            "anything is touched. Errors break a deployment and exit 2; warnings are only odd and exit 0."})
public final class ValidateCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    ProjectOptions project;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "Output for people (text) or machines (json). Default: ${DEFAULT-VALUE}.")
    PlanCommand.Format format;

    @Override
    public Integer call() {
        DeploymentLoader.Loaded loaded = DeploymentLoader.loadWithSources(project.overlayFiles());
        Optional<ComposeFile> compose = project.composeFileIfPresent();
        List<Finding> findings = PlanValidator.validate(loaded, compose);
        long errors = findings.stream().filter(Finding::isError).count();
        long warnings = findings.stream().filter(f -> f.severity() == Finding.Severity.WARNING).count();
        Console console = main.console();
        if (format == PlanCommand.Format.json) {
            console.line(json(findings, compose));
        } else {
            findings.forEach(f -> console.line(f.render()));
            String what = "inventory (" + loaded.deployment().inventory().size() + " services), plan ("
                    + loaded.deployment().plan().phases().size() + " phases, " + loaded.deployment().plan().days().size()
                    + " days)" + compose.map(c -> ", " + c.path()).orElse(" (no compose file checked)");
            console.line("");
            console.line(String.format(Locale.ROOT, "validate: %d error%s (break a deployment), %d warning%s (odd) in %s",
                    errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s", what));
        }
        return errors > 0 ? ExitCode.BAD_INPUT : ExitCode.OK;
    }

    private static String json(List<Finding> findings, Optional<ComposeFile> compose) {
        var root = new LinkedHashMap<String, Object>();
        root.put("errors", findings.stream().filter(Finding::isError).count());
        root.put("warnings", findings.stream().filter(f -> f.severity() == Finding.Severity.WARNING).count());
        root.put("composeFile", compose.map(c -> c.path().toString()).orElse(null));
        var list = new ArrayList<Map<String, Object>>();
        for (Finding f : findings) {
            var m = new LinkedHashMap<String, Object>();
            m.put("severity", f.severity().label());
            m.put("code", f.code());
            m.put("where", f.where());
            m.put("message", f.message());
            m.put("services", f.services());
            list.add(m);
        }
        root.put("findings", list);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
