package org.homeiq.deploy.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.homeiq.deploy.secrets.FingerprintKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFingerprintsTest {
    @TempDir
    Path dir;

    private Path env(String text) throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, text);
        return env;
    }

    @Test
    void fingerprintsAreKeyedWithAPrivateKeyMadeOnFirstUse() throws Exception {
        Path state = dir.resolve(".homeiq");
        FingerprintKey.in(state);
        assertFalse(Files.exists(state), "naming the key makes nothing: input is checked first");
        Path env = env("# comment\nHA_TOKEN=s3cr3t-value\nexport API_KEY=\"quoted secret\"\nEMPTY=\n");
        Manifest.EnvFingerprint fp = EnvFingerprints.of(env, FingerprintKey.in(state));
        Path keyFile = state.resolve(FingerprintKey.FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertEquals(List.of("API_KEY", "EMPTY", "HA_TOKEN"), List.copyOf(fp.hmacSha256().keySet()));
        // Not the plain SHA-256 a guess could be checked against, and the same with the same key.
        assertNotEquals(Sha256.of("s3cr3t-value"), fp.hmacSha256().get("HA_TOKEN"));
        assertEquals(fp, EnvFingerprints.of(env, FingerprintKey.in(state)));
        String json = Manifest.JSON.writeValueAsString(fp);
        assertFalse(json.contains("s3cr3t") || json.contains("quoted secret"), json);
        assertFalse(json.contains("\"sha256\""), "new manifests hold only keyed fingerprints: " + json);
        // Another stack (another key) fingerprints the same value differently.
        assertNotEquals(fp.hmacSha256().get("HA_TOKEN"),
                EnvFingerprints.of(env, FingerprintKey.in(dir.resolve("other"))).hmacSha256().get("HA_TOKEN"));
    }

    @Test
    void comparingWithTheSameKeyNamesChangedAddedAndRemovedKeys() throws Exception {
        FingerprintKey key = FingerprintKey.in(dir.resolve(".homeiq"));
        var then = EnvFingerprints.of(env("A=1\nB=two\nC=3\n"), key);
        Path now = env("A=1\nB=changed\nD=4\n");
        assertEquals(List.of(".env: changed since the backup: B", ".env: added since the backup: D",
                ".env: removed since the backup: C"), EnvFingerprints.changes(then, now, key));
        assertEquals(List.of(".env: same keys and values as at the backup"),
                EnvFingerprints.changes(then, env("A=1\nB=two\nC=3\n"), key));
    }

    @Test
    void oldUnkeyedManifestsStillReadAndCompareSayingSo() throws Exception {
        FingerprintKey key = FingerprintKey.in(dir.resolve(".homeiq"));
        var old = new Manifest.EnvFingerprint(".env", null, null, Map.of("A", Sha256.of("1"), "B", Sha256.of("two")));
        List<String> lines = EnvFingerprints.changes(old, env("A=1\nB=changed\n"), key);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith(".env: changed since the backup: B (the backup's fingerprints are unkeyed"), lines.get(0));
        // A manifest written by the engine before keyed fingerprints.
        Path m = dir.resolve("manifest.json");
        Files.writeString(m, """
                {"format":1,"id":"x","createdAt":"2026-11-26T21:00:05Z","volumes":[],
                 "env":{"file":".env","sha256":{"A":"%s"}}}""".formatted(Sha256.of("1")));
        Manifest read = Manifest.read(m);
        assertFalse(read.env().keyed());
        assertTrue(EnvFingerprints.changes(read.env(), env("A=1\n"), key).get(0).contains("unkeyed"));
    }

    @Test
    void fingerprintsOfAnotherKeyCompareByNamesOnly() throws Exception {
        var then = EnvFingerprints.of(env("A=1\n"), FingerprintKey.in(dir.resolve("old-key")));
        List<String> lines = EnvFingerprints.changes(then, env("A=2\n"), FingerprintKey.in(dir.resolve(".homeiq")));
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("same keys") && lines.get(0).contains("another key"), lines.get(0));
    }

    @Test
    void aComposeFileChangedSinceTheBackupIsAWarningWithBothChecksums() throws Exception {
        Path compose = dir.resolve("docker-compose.yml");
        Files.writeString(compose, "services: {a: {image: x}}\n");
        String then = Sha256.of(Files.readAllBytes(compose));
        var manifest = new Manifest(Manifest.FORMAT, "b1", "pre-rebuild", Instant.now().toString(), "p",
                new Manifest.ComposeCopy(compose.toString(), "docker-compose.yml", then), List.of(), List.of(), null, List.of());
        var backup = new StoredBackup("b1", dir.resolve("b1"), manifest, null);
        FingerprintKey key = FingerprintKey.in(dir.resolve(".homeiq"));
        assertEquals(List.of(), SinceBackup.changes(backup, compose, null, key));
        Files.writeString(compose, "services: {a: {image: y}}\n");
        String now = Sha256.of(Files.readAllBytes(compose));
        List<String> lines = SinceBackup.changes(backup, compose, null, key);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("WARNING: " + compose + " changed since backup b1"), lines.get(0));
        assertTrue(lines.get(0).contains(then) && lines.get(0).contains(now), lines.get(0));
    }
}
