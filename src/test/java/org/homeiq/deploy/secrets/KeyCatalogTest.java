package org.homeiq.deploy.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.homeiq.deploy.BadInputException;
import org.junit.jupiter.api.Test;

class KeyCatalogTest {
    private final KeyCatalog catalog = KeyCatalog.bundled();

    @Test
    void bundledCatalogHoldsAppendixC() {
        assertEquals(14, catalog.keys().size());
        assertTrue(catalog.isSecret("OPENAI_API_KEY"));
        assertTrue(catalog.isSecret("HA_TOKEN"), "alias of HOME_ASSISTANT_TOKEN");
        assertFalse(catalog.isSecret("LOG_LEVEL"));
        assertFalse(catalog.isSecret("NOT_IN_CATALOG"));
    }

    @Test
    void credentialIdsFollowTheConvention() {
        assertEquals("homeiq-openai-api-key", catalog.credentialId("OPENAI_API_KEY"));
        assertEquals("homeiq-home-assistant-token", catalog.credentialId("HA_TOKEN"));
        assertEquals("homeiq-my-extra-secret", catalog.credentialId("MY_EXTRA_SECRET"));
    }

    @Test
    void credentialIdCanBeOverriddenPerKey() {
        KeyCatalog c = KeyCatalog.read("k.yaml", ("credentialIdPrefix: x-\nkeys:\n"
                + "  - {key: A_B, secret: true, required: false, credentialId: shared-a}\n"
                + "  - {key: C_D, secret: true, required: true}\n").getBytes(StandardCharsets.UTF_8));
        assertEquals("shared-a", c.credentialId("A_B"));
        assertEquals("x-c-d", c.credentialId("C_D"));
    }

    @Test
    void requiredKeyIsSatisfiedByAnAlias() {
        Dotenv env = Dotenv.parse("x", "HA_HTTP_URL=http://ha\nHA_TOKEN=t\nINFLUXDB_URL=u\nINFLUXDB_TOKEN=t\n"
                + "INFLUXDB_ORG=o\nINFLUXDB_BUCKET=b\nAPI_KEY=\n");
        assertEquals(List.of("API_KEY"), catalog.missingRequired(env).stream().map(KeyCatalog.Key::key).toList());
    }

    @Test
    void secretsAreAlwaysMaskedSettingsAndTrivialUnknownValuesNever() {
        var masker = new Masker();
        Dotenv env = Dotenv.parse("x", "API_KEY=123\nLOG_LEVEL=INFO-LEVEL\nDEBUG=true\nWORKERS=4\nPORT=18086\n"
                + "X=ab\nCUSTOM_PASSWORD=hunter22\nCOMPOSE_PROJECT_NAME=homeiq\n");
        env.entries().forEach(e -> catalog.register(e, masker));
        assertEquals("**** INFO-LEVEL true 4 18086 ab ****", masker.mask("123 INFO-LEVEL true 4 18086 ab hunter22"));
        assertEquals("homeiq-data-api:pre-rebuild", masker.mask("homeiq-data-api:pre-rebuild"), "compose's project name is no secret");
    }

    @Test
    void malformedCatalogNamesFileAndLine() {
        var ex = assertThrows(BadInputException.class, () -> KeyCatalog.read("k.yaml",
                "credentialIdPrefix: x-\nkeys:\n  - key: A\n    secret: maybe\n    required: true\n"
                        .getBytes(StandardCharsets.UTF_8)));
        assertTrue(ex.getMessage().startsWith("k.yaml:4"), ex.getMessage());
        var dup = assertThrows(BadInputException.class, () -> KeyCatalog.read("k.yaml",
                "credentialIdPrefix: x-\nkeys:\n  - {key: A, secret: true, required: true}\n  - {key: A, secret: true, required: true}\n"
                        .getBytes(StandardCharsets.UTF_8)));
        assertTrue(dup.getMessage().contains("A is listed twice"), dup.getMessage());
    }
}
