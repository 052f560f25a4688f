package org.homeiq.deploy.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compose CLI's argument arrays and the project name compose labels containers with. */
class ComposeCliTest {
    private static final Path DIR = Path.of("/srv/Home_IQ.checkout");
    private static final Path FILE = DIR.resolve("docker-compose.yml");

    @Test
    void globalOptionsComeBeforeTheSubcommandAsOneArgumentEach() {
        var cli = new ComposeCli(new ProcessRunner(), Compose.Flavour.V2, DIR, FILE, "homeiq", Path.of("/run/x/.env"));
        assertEquals(List.of("docker", "compose", "--project-directory", DIR.toString(), "-f", FILE.toString(),
                "-p", "homeiq", "--env-file", "/run/x/.env", "up", "-d", "svc with space"),
                cli.command(List.of("up", "-d", "svc with space")));
        assertEquals("homeiq", cli.name());
    }

    @Test
    void withoutANameComposePicksItsOwnAndTheLabelsCarryTheDirectoryName() {
        var cli = new ComposeCli(new ProcessRunner(), Compose.Flavour.V1, DIR, FILE, null, null);
        List<String> cmd = cli.command(List.of("build"));
        assertEquals("docker-compose", cmd.get(0));
        assertFalse(cmd.contains("-p"), cmd.toString());
        assertFalse(cmd.contains("--env-file"), cmd.toString());
        if (System.getenv("COMPOSE_PROJECT_NAME") == null) {
            assertEquals("home_iqcheckout", cli.name());
        }
    }

    @Test
    void aGivenNameWins() {
        assertEquals("given", ComposeCli.projectName("given", DIR));
        assertEquals(ComposeCli.projectName(null, DIR), ComposeCli.projectName("  ", DIR));
    }
}
