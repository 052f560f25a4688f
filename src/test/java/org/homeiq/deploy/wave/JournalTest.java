package org.homeiq.deploy.wave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.homeiq.deploy.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path state;

    @Test
    void readsBackWhatWasTouchedEvenWhenTheLastLineWasCutShort() throws Exception {
        Journal j = Journal.start(state, "rebuild-wave --day 1", List.of("data-api", "influxdb"), "pre-rebuild");
        j.touched(new Journal.Touch("influxdb", "d1-infra", "restart", "influxdb:2.7", "sha256:aa", null, "deploy"));
        j.touched(new Journal.Touch("data-api", "d1-core", "rebuild", "homeiq/data-api:latest", "sha256:bb", "homeiq/data-api:pre-rebuild", "deploy"));
        j.event("data-api", "built");
        // A SIGKILL in the middle of a write leaves half a line.
        Files.writeString(j.file(), "{\"event\":\"deployed\",\"serv", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        Journal.Record r = Journal.read(state, "latest");
        assertEquals(j.runId(), r.runId());
        assertEquals(2, r.touched().size());
        assertEquals("sha256:bb", r.touched().get(1).oldImageId());
        assertEquals("built", r.lastEvent().get("data-api"));
        assertFalse(r.ended(), "the run never wrote its end");
    }

    @Test
    void latestIsTheNewestRunAndOldRunsStayReadable() throws Exception {
        Journal first = Journal.start(state, "a", List.of(), "pre-rebuild");
        first.end(0);
        Thread.sleep(5); // run ids are milliseconds: make the order certain
        Journal second = Journal.start(state, "b", List.of(), "pre-rebuild");
        assertEquals(second.runId(), Journal.read(state, "latest").runId());
        assertTrue(Journal.read(state, first.runId()).ended());
        assertEquals(List.of(first.runId(), second.runId()), Journal.runIds(state));
    }

    @Test
    void unknownRunIsBadInput() {
        Journal.start(state, "a", List.of(), "pre-rebuild");
        var e = assertThrows(BadInputException.class, () -> Journal.read(state, "19990101-000000-000"));
        assertTrue(e.getMessage().contains("no such run"), e.getMessage());
    }
}
