package org.homeiq.deploy.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.homeiq.deploy.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the engine reads from a compose file: services, published host ports, builds, named volumes. */
class ComposeFileTest {
    @TempDir
    Path dir;

    private ComposeFile read(String yaml) throws Exception {
        Path f = dir.resolve("docker-compose.yml");
        Files.writeString(f, yaml);
        return ComposeFile.read(f);
    }

    @Test
    void servicesPortsBuildsAndVolumesAsWritten() throws Exception {
        ComposeFile c = read("""
                services:
                  data-api:
                    build: ./services/data-api
                    ports: ["8006:8006", 127.0.0.1:8007:8007, 8008:22, "9000-9001:9000-9001", "8010", {published: 8011, target: 80}]
                    volumes: [data:/var/lib/data, ./config:/config, /srv/x:/x, {type: volume, source: cache, target: /c}]
                  influxdb:
                    image: influxdb:2.7
                    network_mode: host
                  jaeger:
                    image: ~
                volumes:
                  data: {}
                  cache:
                """);
        assertEquals(List.of("data-api", "influxdb", "jaeger"), c.services().stream().map(ComposeFile.ComposeService::name).toList());
        ComposeFile.ComposeService api = c.service("data-api").orElseThrow();
        // 8008:22 unquoted is a base-60 number in YAML 1.1; compose and the engine read the text.
        assertEquals(List.of(8006, 8007, 8008, 9000, 8011), api.hostPorts());
        assertEquals(List.of("data", "cache"), api.volumes());
        assertTrue(api.built());
        assertNull(api.image());
        ComposeFile.ComposeService influx = c.service("influxdb").orElseThrow();
        assertEquals("influxdb:2.7", influx.image());
        assertTrue(influx.hostNetwork());
        assertFalse(influx.built());
        assertNull(c.service("jaeger").orElseThrow().image(), "image: ~ is no image");
        assertEquals(List.of("data", "cache"), c.namedVolumes());
    }

    @Test
    void brokenYamlNamesTheFileAndLine() {
        var e = assertThrows(BadInputException.class, () -> read("services:\n  a:\n    image: [x\n  b: {}\n"));
        assertTrue(e.getMessage().matches(".*docker-compose.yml:\\d+: not a valid compose file: .*"), e.getMessage());
    }

    @Test
    void withoutServicesItIsNoComposeFile() {
        var e = assertThrows(BadInputException.class, () -> read("version: '3'\n"));
        assertTrue(e.getMessage().endsWith("no 'services:' section: not a compose file"), e.getMessage());
        assertThrows(BadInputException.class, () -> read(""));
    }
}
