package org.homeiq.deploy.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.homeiq.deploy.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotenvRenderTest {
    private static final KeyCatalog CATALOG = KeyCatalog.bundled();

    @Test
    void secretsComeFromTheEnvironmentAndSettingsFromTheTemplate() {
        Dotenv template = Dotenv.parse("t", "HOME_ASSISTANT_URL=http://ha:8123\nHOME_ASSISTANT_TOKEN=\nLOG_LEVEL=INFO\n");
        var masker = new Masker();
        Dotenv out = DotenvRender.render(template,
                Map.of("HOMEIQ_SECRET_HOME_ASSISTANT_TOKEN", "tok-123456"), CATALOG, masker);
        assertEquals("tok-123456", out.get("HOME_ASSISTANT_TOKEN").orElseThrow().value());
        assertEquals("http://ha:8123", out.get("HOME_ASSISTANT_URL").orElseThrow().value());
        assertEquals("****", masker.mask("tok-123456"));
        // Settings the catalog calls non-secret stay readable in the log.
        assertEquals("INFO http://ha:8123", masker.mask("INFO http://ha:8123"));
    }

    @Test
    void aSecretWithNeitherCredentialNorValueIsBadInputNamingKeyAndLine() {
        Dotenv template = Dotenv.parse("t.env", "LOG_LEVEL=INFO\nAPI_KEY=\n");
        var ex = assertThrows(BadInputException.class,
                () -> DotenvRender.render(template, Map.of(), CATALOG, new Masker()));
        assertEquals("t.env:2: API_KEY is a secret and HOMEIQ_SECRET_API_KEY is not set", ex.getMessage());
    }

    @Test
    void everyWritableValueReadsBackUnchanged() {
        List<String> values = List.of("plain", "with space", "a#b", " lead", "x #not comment", "$HOME", "$X}", "{$X",
                "back\\slash", "dq\"inside", "it's", "`cmd`", "=", "'", "\"", "ü€", "#start", "");
        var entries = new java.util.ArrayList<Dotenv.Entry>();
        for (int i = 0; i < values.size(); i++) {
            assertTrue(DotenvRender.writable(values.get(i)), values.get(i));
            entries.add(new Dotenv.Entry("K" + i, values.get(i), i + 1));
        }
        byte[] text = DotenvRender.format(Dotenv.of("x", entries), "header\nsecond");
        Dotenv back = Dotenv.parse("back", new String(text, StandardCharsets.UTF_8));
        for (int i = 0; i < values.size(); i++) {
            assertEquals(values.get(i), back.get("K" + i).orElseThrow().value(), "value " + i);
        }
    }

    @Test
    void valuesComposeCannotReadBackAreRefusedWithoutShowingThem() {
        assertFalse(DotenvRender.writable("line\nbreak"));
        assertFalse(DotenvRender.writable("both ' and \" quotes"));
        assertFalse(DotenvRender.writable("it's $x"), "would be interpolated inside double quotes");
        assertFalse(DotenvRender.writable("a${X}b"), "docker-compose 1.29 interpolates it even in single quotes");
        Dotenv template = Dotenv.parse("t.env", "API_KEY=\n");
        var ex = assertThrows(BadInputException.class, () -> DotenvRender.render(template,
                Map.of("HOMEIQ_SECRET_API_KEY", "pw'with\"both"), CATALOG, new Masker()));
        assertTrue(ex.getMessage().startsWith("t.env:1: the value of API_KEY"), ex.getMessage());
        assertFalse(ex.getMessage().contains("pw'with"), ex.getMessage());
    }

    @Test
    void privateFileIsOwnerOnlyReplacesAtomicallyAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("sub/.env");
        Files.createDirectories(target.getParent());
        Files.writeString(target, "OLD=1\n");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        PrivateFile.write(target, "NEW=2\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("NEW=2\n", Files.readString(target));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        try (var files = Files.list(target.getParent())) {
            assertEquals(List.of(target), files.toList());
        }
        Path fresh = dir.resolve("new-dir/.env");
        PrivateFile.write(fresh, "A=1\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.getParent())));
    }
}
