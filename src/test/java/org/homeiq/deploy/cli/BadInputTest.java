package org.homeiq.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Garbage in an overlay file: exit 2, the file and line named, nothing else printed on stdout. Each
 * case is run through {@code validate} and {@code plan}, which load the same way every command does.
 */
class BadInputTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        malformed YAML          | services:\\n  data-api: {port: 8006\\n                                   | :3: | not valid YAML
        unknown top-level key   | servces:\\n  data-api: {port: 1}                                        | :1: | unknown key 'servces'
        unknown service key     | services:\\n  data-api:\\n    prot: 18006                               | :3: | unknown key 'prot' in service
        wrong type              | services:\\n  data-api:\\n    port: eighty                              | :3: | expected a whole number, got 'eighty'
        quoted number           | services:\\n  data-api:\\n    port: "18006"                             | :3: | expected a whole number
        port out of range       | services:\\n  data-api:\\n    port: 70000                               | :3: | outside 1-65535
        list expected           | services:\\n  data-api:\\n    dependsOn: influxdb                       | :3: | dependsOn must be a list
        duplicate service       | services:\\n  data-api: {port: 1}\\n  data-api: {port: 2}             | :3: | duplicate key 'data-api'
        duplicate wave id       | days:\\n  - number: 9\\n    waves:\\n      - {id: d1-core, mode: sequential, services: [data-api]} | :4: | duplicate wave id 'd1-core'
        duplicate day           | days:\\n  - {number: 7, waves: [{id: x7, mode: sequential, services: [data-api]}]}\\n  - {number: 7, waves: [{id: y7, mode: sequential, services: [data-api]}]} | :3: | duplicate day number 7
        plan names unknown svc  | days:\\n  - number: 6\\n    waves:\\n      - id: d6\\n        mode: parallel\\n        services: [data-api, flux-capacitor] | :6: | 'flux-capacitor', which is not in the inventory
        unknown mode            | days:\\n  - number: 6\\n    waves:\\n      - {id: d6, mode: sideways, services: [data-api]} | :4: | neither sequential nor parallel
        unknown gate            | days:\\n  - number: 6\\n    waves:\\n      - {id: d6, mode: parallel, services: [data-api], gate: nope} | :4: | uses gate 'nope'
        bad duration            | services:\\n  data-api:\\n    wait: soon                                | :3: | 'soon' is not a duration
        bad regex               | gates:\\n  deploy:\\n    errorPattern: "(unclosed"                   | :3: | not a valid regular expression
        new service no port     | services:\\n  extra-service:\\n    group: custom                        | :2: | has no 'port'
        absent unknown service  | services:\\n  flux-capacitor:\\n    absent: true                        | :3: | 'flux-capacitor' is marked absent, but no earlier file defines it
        absent unknown wave     | waves:\\n  d9-nothing: {absent: true}                                   | :2: | wave 'd9-nothing' is marked absent, but the plan has no such wave
        absent not a boolean    | services:\\n  jaeger: {absent: maybe}                                      | :2: | expected true or false
        """)
    void overlayGarbageIsRejectedWithFileAndLine(String name, String yaml, String line, String message) throws IOException {
        Path file = dir.resolve("overlay.yaml");
        Files.writeString(file, yaml.replace("\\n", "\n"));
        for (String command : new String[] {"validate", "plan"}) {
            EngineRun run = EngineRun.of(command, "--project-dir", dir.toString(), "--inventory", file.toString());
            assertEquals(2, run.exitCode(), command + ": " + run.all());
            assertTrue(run.err().contains(file + line), command + " should name " + file + line + ": " + run.err());
            assertTrue(run.err().contains(message), command + " should say '" + message + "': " + run.err());
            assertEquals("", run.out(), command + " printed on stdout");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        missing overlay     | --inventory, /nonexistent/homeiq.yaml | /nonexistent/homeiq.yaml: file not found
        unknown day         | --day, 9                              | no deployment day 9 in the plan (it has days 1, 2, 3, 4, 5)
        day not a number    | --day, three                          | --day
        unknown option      | --dya, 3                              | --dya
        two scopes          | --day, 1, --phase, 2                  | mutually exclusive
        bad format          | --format, yaml                        | --format
        """)
    void planOptionGarbage(String name, String args, String message) {
        String[] argv = ("plan, " + args).split(",\\s*");
        EngineRun run = EngineRun.of(argv);
        assertEquals(2, run.exitCode(), run.all());
        assertTrue(run.err().contains(message), run.err());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        missing compose file | -f, nope.yml              | nope.yml: compose file not found
        compose not YAML     | -f, bad.yml               | bad.yml:2: not a valid compose file
        compose no services  | -f, empty.yml             | no 'services:' section
        """)
    void composeGarbage(String name, String args, String message) throws IOException {
        Files.writeString(dir.resolve("bad.yml"), "services:\n  a: [unclosed\n");
        Files.writeString(dir.resolve("empty.yml"), "version: '3'\n");
        String[] argv = ("validate, --project-dir, " + dir + ", " + args).split(",\\s*");
        EngineRun run = EngineRun.of(argv);
        assertEquals(2, run.exitCode(), run.all());
        assertTrue(run.err().contains(message), run.err());
    }
}
