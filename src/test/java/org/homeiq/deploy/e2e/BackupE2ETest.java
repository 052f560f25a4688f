package org.homeiq.deploy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.homeiq.deploy.cli.EngineRun;
import org.homeiq.deploy.demo.Behaviour;
import org.homeiq.deploy.demo.MiniHomeIq;
import org.homeiq.deploy.docker.ProcessResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups and restores of the miniature HomeIQ on the real Docker engine, with the faults the
 * backup issue names: a corrupted byte, a full disk, awkward file trees, a deleted restore point.
 */
@DockerTest
class BackupE2ETest {
    /**
     * HomeIQ ports + 30000 + a random multiple of 100 whose ports are free: runs of this suite in
     * other worktrees share the host network (data-api and influxdb bind 127.0.0.1).
     */
    static final int PORT_OFFSET = 30000;
    static final Duration QUICK = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        // Everything is closed even when one close fails (a stack left running would hold the ports).
        Exception first = null;
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            try {
                cleanup.get(i).close();
            } catch (Exception | AssertionError e) {
                if (first == null) {
                    first = e instanceof Exception ex ? ex : new Exception(e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private MiniHomeIq stack(String prefix) {
        MiniHomeIq mini = TestStack.create(dir.resolve("project"), prefix, freeOffset(), List.of("influxdb", "data-api"));
        cleanup.add(mini);
        mini.start();
        return mini;
    }

    /** Builds and redeploys one service of the running stack (start() wants all ports free). */
    private static void redeploy(MiniHomeIq mini, String service) {
        ProcessResult b = mini.compose().build(List.of(service), false);
        assertTrue(b.ok(), b.diagnostic());
        mini.compose().up(List.of(service), false);
    }

    private static int freeOffset() {
        for (int attempt = 0; attempt < 40; attempt++) {
            // Random, so concurrent runs rarely pick the same pair even between check and bind.
            int offset = PORT_OFFSET + 100 * java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 40);
            if (free(8006 + offset) && free(8086 + offset)) {
                return offset;
            }
        }
        throw new AssertionError("no free port pair for data-api/influxdb between 38006 and 42086");
    }

    private static boolean free(int port) {
        try (var s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static EngineRun engine(MiniHomeIq mini, String... args) {
        var all = new ArrayList<>(List.of(args));
        all.addAll(mini.engineArgs());
        return EngineRun.of(all.toArray(String[]::new));
    }

    /** Runs a shell script in a helper container on the volume; returns its stdout. */
    private static String inVolume(MiniHomeIq mini, String volume, String script) {
        ProcessResult r = mini.docker().check(QUICK, "run", "--rm", "--network", "none", "-v",
                mini.volumeName(volume) + ":/data", MiniHomeIq.BASE_IMAGE, "sh", "-c", script);
        return r.stdout();
    }

    /** Every path under /data/DIR with type, mode, owner, and size+md5 (files) or target (links). */
    private static String listing(MiniHomeIq mini, String volume, String sub) {
        return inVolume(mini, volume, "cd /data/" + sub + " && find . | sort | while read -r f; do "
                + "if [ -L \"$f\" ]; then echo \"$f $(stat -c '%F %a %u:%g' \"$f\") -> $(readlink \"$f\")\"; "
                + "elif [ -f \"$f\" ]; then echo \"$f $(stat -c '%F %a %u:%g %s %h' \"$f\") $(md5sum < \"$f\" | cut -c1-32)\"; "
                + "else echo \"$f $(stat -c '%F %a %u:%g' \"$f\")\"; fi; done");
    }

    private static String onlyBackupId(MiniHomeIq mini, String... extra) throws Exception {
        var args = new ArrayList<>(List.of("backup", "list", "--format", "json"));
        args.addAll(List.of(extra));
        EngineRun list = engine(mini, args.toArray(String[]::new));
        assertEquals(0, list.exitCode(), list.all());
        JsonNode arr = new ObjectMapper().readTree(list.out());
        assertEquals(1, arr.size(), list.out());
        return arr.get(0).path("id").asText();
    }

    private static void awaitRunning(MiniHomeIq mini, String service) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var id = mini.containerId(service);
            if (id.isPresent() && mini.docker().container(id.get()).map(c -> c.running()).orElse(false)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(service + " is not running");
    }

    /** {@code rollback --backup ID [--restore-volumes] (--services ... | --all)} through the engine. */
    private static EngineRun rollback(MiniHomeIq mini, String id, boolean volumes, List<String> services) {
        var args = new ArrayList<>(List.of("rollback", "--backup", id, "--timeout", "30s"));
        if (volumes) {
            args.add("--restore-volumes");
        }
        if (services == null) {
            args.add("--all");
        } else {
            args.add("--services");
            args.add(String.join(",", services));
        }
        return engine(mini, args.toArray(String[]::new));
    }

    @Test
    void awkwardTreesRoundTripIdenticalAndImagesComeBack() throws Exception {
        MiniHomeIq mini = stack("bk-roundtrip");
        // Many small files, one large file, links, odd modes and owners, a long name, a fifo.
        inVolume(mini, "sqlite-data", """
                set -e
                mkdir -p /data/t && cd /data/t
                for d in 1 2 3 4 5 6 7 8 9 10; do mkdir -p small/$d; for f in $(seq 1 60); do echo "row $d $f" > small/$d/f$f.txt; done; done
                dd if=/dev/urandom of=large.bin bs=1M count=24 2>/dev/null
                echo secret > private && chmod 0600 private && chown 1234:5678 private
                echo run > setuid && chmod 4755 setuid
                mkdir locked && echo x > locked/inside && chmod 0000 locked
                mkdir sticky && chmod 1777 sticky
                ln -s large.bin current && ln -s ../t/small/1/f1.txt up-and-back && ln -s missing dangling
                ln private hardlink
                mkfifo pipe
                n=very-long-name-$(printf '%0150d' 0).dat; echo long > "$n"
                echo "sp ace" > "with space"
                """);
        inVolume(mini, "influxdb_data", "mkdir -p /data/t && echo series > /data/t/tsm.0001");
        String before = listing(mini, "sqlite-data", "t");
        String beforeInflux = listing(mini, "influxdb_data", "t");
        assertTrue(before.contains("very-long-name") && before.contains("4755") && before.contains("1234:5678"), before);

        EngineRun b = engine(mini, "backup", "--label", "pre-rebuild", "--quiesce", "data-api,influxdb");
        assertEquals(0, b.exitCode(), b.all());
        // No helper image named: the copy container is made from one of the stack's own images.
        assertTrue(b.out().contains("by a container made from " + mini.projectName() + "/"), b.out());
        String id = onlyBackupId(mini);
        Path backupDir = mini.projectDir().resolve(".homeiq/backups").resolve(id);
        assertTrue(Files.isRegularFile(backupDir.resolve("sqlite-data.tar.zst")), b.all());
        JsonNode manifest = new ObjectMapper().readTree(backupDir.resolve("manifest.json").toFile());
        assertEquals(2, manifest.path("volumes").size());
        assertEquals(mini.projectName() + "/data-api:pre-rebuild", manifest.path("images").findValues("restoreTag").stream()
                .map(JsonNode::asText).filter(t -> t.contains("data-api")).findFirst().orElseThrow());
        assertTrue(mini.docker().image(mini.projectName() + "/data-api:pre-rebuild").isPresent(), "restore-point tag made");
        awaitRunning(mini, "data-api");
        awaitRunning(mini, "influxdb");

        EngineRun v = engine(mini, "backup", "verify", id);
        assertEquals(0, v.exitCode(), v.all());

        // Damage the data and deploy a new data-api image; the rollback must undo both.
        inVolume(mini, "sqlite-data", "cd /data/t && rm -rf small/3 large.bin && echo new > added && chmod 0777 private");
        inVolume(mini, "influxdb_data", "rm -rf /data/t");
        mini.configure("data-api", Behaviour.healthy().version("2"));
        redeploy(mini, "data-api");
        assertEquals("2", MiniHomeIqTest.await(() -> mini.version("data-api").filter("2"::equals)));
        assertNotEquals(before, listing(mini, "sqlite-data", "t"));

        EngineRun r = rollback(mini, id, true, null);
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(before, listing(mini, "sqlite-data", "t"));
        assertEquals(beforeInflux, listing(mini, "influxdb_data", "t"));
        assertEquals("1", MiniHomeIqTest.await(() -> mini.version("data-api").filter("1"::equals)));
        assertEquals(1, mini.docker().images(mini.projectName() + "/data-api:failed-*").size(), "the replaced v2 image is kept");
    }

    @Test
    void oneCorruptedByteFailsVerifyAndRestoreRefusesTouchingNothing() throws Exception {
        MiniHomeIq mini = stack("bk-corrupt");
        inVolume(mini, "sqlite-data", "mkdir -p /data/t && dd if=/dev/urandom of=/data/t/db bs=64k count=8 2>/dev/null");
        // The deprecated option still works: the copy container is made from the image it names.
        EngineRun b = engine(mini, "backup", "--helper-image", MiniHomeIq.BASE_IMAGE);
        assertEquals(0, b.exitCode(), b.all());
        assertTrue(b.out().contains("from " + MiniHomeIq.BASE_IMAGE), b.out());
        String id = onlyBackupId(mini);
        Path archive = mini.projectDir().resolve(".homeiq/backups").resolve(id).resolve("sqlite-data.tar.zst");
        byte[] bytes = Files.readAllBytes(archive);
        bytes[bytes.length / 3] ^= 0x10;
        Files.write(archive, bytes);

        EngineRun v = engine(mini, "backup", "verify", id);
        assertEquals(1, v.exitCode(), v.all());
        assertTrue(v.err().contains("sqlite-data.tar.zst"), v.err());

        inVolume(mini, "sqlite-data", "echo after-backup > /data/t/marker");
        String state = listing(mini, "sqlite-data", "t");
        String container = mini.containerId("data-api").orElseThrow();
        EngineRun r = rollback(mini, id, true, null);
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.err().contains("refused") && r.err().contains("nothing was changed"), r.err());
        assertEquals(state, listing(mini, "sqlite-data", "t"), "volume untouched");
        assertEquals(container, mini.containerId("data-api").orElseThrow(), "container untouched");
        assertTrue(mini.docker().container(container).orElseThrow().running());
    }

    @Test
    void diskFullDuringBackupIsExitThreeLeavesNoBackupAndQuiescedServicesRunAgain() throws Exception {
        MiniHomeIq mini = stack("bk-full");
        inVolume(mini, "sqlite-data", "mkdir -p /data/t && dd if=/dev/urandom of=/data/t/big bs=1M count=4 2>/dev/null");
        Path small = Files.createDirectories(dir.resolve("small-disk"));
        Tmpfs tmpfs = Tmpfs.mount(small, "1m");
        cleanup.add(tmpfs);
        String before = mini.containerId("data-api").orElseThrow();

        EngineRun b = engine(mini, "backup", "--dest", small.toString(), "--quiesce", "data-api,influxdb");
        assertEquals(3, b.exitCode(), b.all());
        assertTrue(b.err().contains("No space left on device"), b.err());
        assertTrue(b.out().contains("Started data-api, influxdb again"), b.out());

        EngineRun list = engine(mini, "backup", "list", "--dest", small.toString(), "--format", "json");
        assertEquals("[ ]", list.out().strip(), "no partial backup listed");
        try (var left = Files.list(small)) {
            assertEquals(List.of(), left.toList(), "the temporary directory was removed");
        }
        awaitRunning(mini, "data-api");
        awaitRunning(mini, "influxdb");
        assertEquals(before, mini.containerId("data-api").orElseThrow(), "same container, started again");
        MiniHomeIqTest.await(() -> mini.get("data-api", "/health"));
    }

    @Test
    void aCraftedManifestNamingForeignVolumesFailsVerifyAndStopsNothing() throws Exception {
        MiniHomeIq mini = stack("bk-crafted");
        EngineRun b = engine(mini, "backup", "--helper-image", MiniHomeIq.BASE_IMAGE);
        assertEquals(0, b.exitCode(), b.all());
        String id = onlyBackupId(mini);
        Path manifest = mini.projectDir().resolve(".homeiq/backups").resolve(id).resolve("manifest.json");
        String original = Files.readString(manifest);
        var containers = new java.util.LinkedHashMap<String, String>();
        for (String s : List.of("influxdb", "data-api")) {
            awaitRunning(mini, s);
            containers.put(s, mini.containerId(s).orElseThrow());
        }
        for (String crafted : List.of("../../tmp/x", "..", "other-project_data")) {
            Files.writeString(manifest, original.replace("\"name\" : \"sqlite-data\"", "\"name\" : \"" + crafted + "\""));
            EngineRun v = engine(mini, "backup", "verify", id);
            assertEquals(1, v.exitCode(), crafted + ": " + v.all());
            assertTrue(v.err().contains("'" + crafted + "'"), v.err());
            EngineRun r = rollback(mini, id, true, null);
            assertEquals(1, r.exitCode(), crafted + ": " + r.all());
            assertTrue(r.err().contains("'" + crafted + "'") && r.err().contains("nothing was changed"), r.err());
            assertFalse(r.out().contains("Stopping"), "no service was stopped: " + r.out());
            for (var c : containers.entrySet()) {
                assertEquals(c.getValue(), mini.containerId(c.getKey()).orElseThrow(), c.getKey() + " untouched");
                assertTrue(mini.docker().container(c.getValue()).orElseThrow().running(), c.getKey() + " still running");
            }
        }
    }

    @Test
    void restoreFromABackupWhoseRestorePointImageWasDeletedNamesIt() throws Exception {
        MiniHomeIq mini = stack("bk-noimage");
        EngineRun b = engine(mini, "backup", "--label", "before-v2");
        assertEquals(0, b.exitCode(), b.all());
        String id = onlyBackupId(mini);
        // A new image replaces latest; then the restore point is deleted, so the old image is gone.
        mini.configure("data-api", Behaviour.healthy().version("2"));
        // Built without the layer cache: a cached build keeps the old image as a parent of the new
        // one, so deleting the tag would not delete the image and the restore would rightly go on.
        assertTrue(mini.compose().build(List.of("data-api"), true).ok());
        mini.compose().up(List.of("data-api"), false);
        assertEquals("2", MiniHomeIqTest.await(() -> mini.version("data-api").filter("2"::equals)));
        String restoreTag = mini.projectName() + "/data-api:before-v2";
        mini.docker().check(QUICK, "rmi", restoreTag);
        assertFalse(mini.docker().image(restoreTag).isPresent());
        EngineRun v = engine(mini, "backup", "verify", id);
        assertEquals(1, v.exitCode(), "verify checks the restore-point images too: " + v.all());
        assertTrue(v.err().contains(restoreTag) && v.err().contains("no longer exists"), v.err());

        // The compose file changed since the backup too: said first, with both checksums.
        Path compose = mini.projectDir().resolve("docker-compose.yml");
        Files.writeString(compose, Files.readString(compose) + "# edited after the backup\n");

        String container = mini.containerId("data-api").orElseThrow();
        EngineRun r = rollback(mini, id, false, List.of("data-api"));
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.err().contains(restoreTag) && r.err().contains("no longer exists"), r.err());
        assertTrue(r.out().contains("WARNING: " + compose + " changed since backup " + id + ": sha256 "), r.out());
        assertEquals(container, mini.containerId("data-api").orElseThrow(), "nothing touched");
        assertEquals("2", mini.version("data-api").orElseThrow());
    }

    @Test
    void restoreRefusesAVolumeAnotherContainerMountsTouchingNothing() throws Exception {
        MiniHomeIq mini = stack("bk-foreign");
        inVolume(mini, "sqlite-data", "mkdir -p /data/t && echo v1 > /data/t/db");
        EngineRun b = engine(mini, "backup");
        assertEquals(0, b.exitCode(), b.all());
        String id = onlyBackupId(mini);
        inVolume(mini, "sqlite-data", "echo v2 > /data/t/db");
        // Not a service of the stack: emptying the volume would need removing it, so the restore refuses.
        String foreign = "hiqt-foreign-" + Long.toString(System.nanoTime(), 36);
        mini.docker().check(QUICK, "create", "--name", foreign, "--network", "none", "-v",
                mini.volumeName("sqlite-data") + ":/data", MiniHomeIq.BASE_IMAGE, "true");
        cleanup.add(() -> mini.docker().removeContainer(foreign));
        String state = listing(mini, "sqlite-data", "t");
        String container = mini.containerId("data-api").orElseThrow();

        EngineRun r = rollback(mini, id, true, List.of("data-api"));
        assertEquals(3, r.exitCode(), r.all());
        assertTrue(r.err().contains(foreign) && r.err().contains("nothing was changed"), r.err());
        assertEquals(state, listing(mini, "sqlite-data", "t"), "volume untouched");
        assertEquals(container, mini.containerId("data-api").orElseThrow(), "container untouched");
        assertTrue(mini.docker().container(container).orElseThrow().running());
    }
}
