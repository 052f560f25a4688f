package org.homeiq.deploy.wave;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.homeiq.deploy.BadInputException;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.JenkinsBuild;
import org.homeiq.deploy.secrets.Masker;

/**
 * What a wave run changed, written to {@code <project-dir>/.homeiq/journal/<run-id>.jsonl} before
 * each change and forced to disk, so {@code rollback --journal} can undo it from a new process
 * even after this one was killed. One JSON object per line, append only: a line cut short by a
 * crash is simply ignored when read back.
 */
public final class Journal {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
    private static final String SUFFIX = ".jsonl";

    private final String runId;
    private final Path file;
    private final Masker masker;

    private Journal(String runId, Path file, Masker masker) {
        this.runId = runId;
        this.file = file;
        this.masker = masker;
    }

    /**
     * A service as it was before the run touched it.
     *
     * @param service the compose service
     * @param wave the wave it belonged to
     * @param kind {@code rebuild} (new image) or {@code restart} (same image, only restarted)
     * @param imageRef the image reference compose runs it from
     * @param oldImageId the image id that reference had before the run, or null if none
     * @param restorePoint the restore-point tag made from it, or null
     * @param gate the gate settings name used for it
     */
    public record Touch(String service, String wave, String kind, String imageRef, String oldImageId, String restorePoint, String gate) {
    }

    /**
     * A journal read back: the touched services in the order they were touched, and each one's last
     * event; {@code build} is the Jenkins build ({@code BUILD_TAG}) the run was part of, or null.
     */
    public record Record(String runId, Path file, List<Touch> touched, Map<String, String> lastEvent, boolean ended,
            String build) {
    }

    public static Path directory(Path stateDir) {
        return stateDir.resolve("journal");
    }

    /** Starts a new journal with no secrets to mask (tests). */
    public static Journal start(Path stateDir, String command, List<String> services, String label) {
        return start(stateDir, command, services, label, new Masker());
    }

    /**
     * Starts a new journal (its run id is the UTC start time to the millisecond). Every line is
     * masked as written, like every other output of the engine.
     */
    public static Journal start(Path stateDir, String command, List<String> services, String label, Masker masker) {
        Path dir = directory(stateDir);
        try {
            Files.createDirectories(dir);
            String id = RUN_ID.format(Instant.now());
            Path f = dir.resolve(id + SUFFIX);
            while (Files.exists(f)) {
                id = RUN_ID.format(Instant.now().plusMillis(1));
                f = dir.resolve(id + SUFFIX);
            }
            var j = new Journal(id, f, masker);
            var m = event("start");
            m.put("runId", id);
            m.put("command", command);
            m.put("services", services);
            m.put("label", label);
            // Which Jenkins build this run belongs to: rollback --build undoes every run of one build.
            JenkinsBuild.current().ifPresent(b -> {
                m.put("build", b.tag());
                m.put("buildUrl", b.url());
            });
            j.append(m);
            syncDirectory(dir);
            return j;
        } catch (IOException e) {
            throw new EnvironmentException("cannot write the journal under " + dir + ": " + e.getMessage(), e);
        }
    }

    public String runId() {
        return runId;
    }

    public Path file() {
        return file;
    }

    /** Recorded before the service is touched: everything needed to put it back. */
    public void touched(Touch t) {
        var m = event("touched");
        m.put("service", t.service());
        m.put("wave", t.wave());
        m.put("kind", t.kind());
        m.put("imageRef", t.imageRef());
        m.put("oldImageId", t.oldImageId());
        m.put("restorePoint", t.restorePoint());
        m.put("gate", t.gate());
        append(m);
    }

    /** A step or result for a service: built, deployed, healthy, failed, rolled-back, ... */
    public void event(String service, String what) {
        event(service, what, Instant.now());
    }

    /** The same, at the time it happened (the run's one record of it; see {@link RunLog}). */
    public void event(String service, String what, Instant at) {
        var m = new LinkedHashMap<String, Object>();
        m.put("event", what);
        m.put("at", at.toString());
        m.put("service", service);
        append(m);
    }

    public void end(int exitCode) {
        var m = event("end");
        m.put("exitCode", exitCode);
        append(m);
    }

    /** Appends an event to an existing journal (rollback records what it undid). */
    public static void appendTo(Path file, String service, String what, Masker masker) {
        new Journal(null, file, masker).event(service, what);
    }

    private static LinkedHashMap<String, Object> event(String name) {
        var m = new LinkedHashMap<String, Object>();
        m.put("event", name);
        m.put("at", Instant.now().toString());
        return m;
    }

    private synchronized void append(Map<String, Object> event) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap((masker.mask(JSON.writeValueAsString(event)) + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        } catch (IOException e) {
            throw new EnvironmentException("cannot write the journal " + file + ": " + e.getMessage(), e);
        }
    }

    private static void syncDirectory(Path dir) {
        // Makes the new file's name durable too; not every platform can open a directory for this.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }

    /** Run ids of all journals, oldest first. */
    public static List<String> runIds(Path stateDir) {
        Path dir = directory(stateDir);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(SUFFIX))
                    .map(n -> n.substring(0, n.length() - SUFFIX.length())).sorted().toList();
        } catch (IOException e) {
            throw new EnvironmentException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads a journal by run id, or the newest one for {@code latest}; none → bad input. */
    public static Record read(Path stateDir, String runIdOrLatest) {
        List<String> ids = runIds(stateDir);
        String id = runIdOrLatest == null || runIdOrLatest.equals("latest")
                ? (ids.isEmpty() ? null : ids.get(ids.size() - 1)) : runIdOrLatest;
        if (id == null) {
            throw new BadInputException("--journal: no wave journal under " + directory(stateDir) + " (has rebuild-wave run in this project directory?)");
        }
        if (!ids.contains(id)) {
            throw new BadInputException("--journal " + id + ": no such run under " + directory(stateDir)
                    + (ids.isEmpty() ? "" : " (runs: " + String.join(", ", ids) + ")"));
        }
        Path f = directory(stateDir).resolve(id + SUFFIX);
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException("--journal " + id + ": " + f + " is gone");
        } catch (IOException e) {
            throw new EnvironmentException("cannot read " + f + ": " + e.getMessage(), e);
        }
        var touched = new ArrayList<Touch>();
        var last = new LinkedHashMap<String, String>();
        boolean ended = false;
        String build = null;
        for (String line : lines) {
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                continue; // the last line of a killed run may be cut short
            }
            if (n == null || !n.has("event")) {
                continue;
            }
            String ev = n.get("event").asText();
            if (ev.equals("touched")) {
                touched.add(new Touch(text(n, "service"), text(n, "wave"), text(n, "kind"), text(n, "imageRef"),
                        text(n, "oldImageId"), text(n, "restorePoint"), text(n, "gate")));
            } else if (ev.equals("end")) {
                ended = true;
            } else if (ev.equals("start")) {
                build = text(n, "build");
            }
            if (n.hasNonNull("service")) {
                last.put(n.get("service").asText(), ev);
            }
        }
        return new Record(id, f, touched, last, ended, build);
    }

    /** Every run of Jenkins build {@code tag}, newest first; none → bad input naming the option. */
    public static List<Record> runsOfBuild(Path stateDir, String tag) {
        var runs = new ArrayList<Record>();
        for (String id : runIds(stateDir)) {
            Record r = read(stateDir, id);
            if (tag.equals(r.build())) {
                runs.add(0, r);
            }
        }
        if (runs.isEmpty()) {
            throw new BadInputException("--build " + tag + ": no rebuild-wave run of that build under " + directory(stateDir)
                    + " (runs record the BUILD_TAG of the Jenkins build they ran in)");
        }
        return runs;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
