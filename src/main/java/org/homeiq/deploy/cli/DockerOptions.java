package org.homeiq.deploy.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.report.Console;
import org.homeiq.deploy.report.ReportFiles;
import org.homeiq.deploy.report.RunReport;
import picocli.CommandLine.Option;

/** Options of the commands that act on Docker: the env file compose needs, and the report files. */
public final class DockerOptions {
    @Option(names = "--env-file", paramLabel = "FILE",
            description = "The rendered .env: passed to compose; every value in it is masked in all output.")
    Path envFile;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the machine-readable result here.")
    Path json;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write JUnit XML here (one testcase per service and check).")
    Path junit;

    /** Registers every value of the env file with the masker; a missing or unreadable file is bad input. */
    void maskEnvFile(Console console) {
        if (envFile == null) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(envFile);
        } catch (NoSuchFileException e) {
            throw new BadInputException("--env-file " + envFile + ": file not found");
        } catch (IOException e) {
            throw new BadInputException("--env-file " + envFile + ": cannot read: " + e.getMessage());
        }
        for (String line : lines) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (l.isEmpty() || l.startsWith("#") || eq < 0) {
                continue;
            }
            String value = l.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            console.masker().add(value);
        }
    }

    Path envFile() {
        return envFile == null ? null : envFile.toAbsolutePath();
    }

    /** Writes the requested report files, then prints the summary (always last in the stage log). */
    void publish(RunReport report, Console console) {
        var files = new ReportFiles(console.masker());
        if (json != null) {
            files.writeJson(report, json);
        }
        if (junit != null) {
            files.writeJunit(report, junit);
        }
        ReportFiles.summary(report).forEach(console::line);
        if (json != null) {
            console.line("JSON report: " + json);
        }
        if (junit != null) {
            console.line("JUnit report: " + junit);
        }
    }
}
