package org.homeiq.deploy.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailedTagRetentionTest {
    @Test
    void keepsTheNewestFailedTagsOfEachRepositoryAndNothingElse() {
        var tags = new ArrayList<>(List.of(
                "homeiq-data-api:failed-20261120-010000", "homeiq-data-api:failed-20261125-010000",
                "homeiq-data-api:failed-20261122-010000", "homeiq-data-api:failed-20261121-010000",
                "homeiq-data-api:pre-rebuild", "homeiq-data-api:failed-by-hand",
                "registry:5000/homeiq/admin-api:failed-20261101-000000"));
        var removed = new ArrayList<String>();
        List<String> result = FailedTagRetention.prune(
                List.of("homeiq-data-api:latest", "registry:5000/homeiq/admin-api:1.2", "homeiq-data-api:latest"), 2,
                filter -> tags.stream().filter(t -> t.startsWith(filter.substring(0, filter.length() - 1))).toList(),
                ref -> {
                    removed.add(ref);
                    tags.remove(ref);
                });
        assertEquals(List.of("homeiq-data-api:failed-20261120-010000", "homeiq-data-api:failed-20261121-010000"), result);
        assertEquals(result, removed);
        assertEquals(List.of("homeiq-data-api:failed-20261125-010000", "homeiq-data-api:failed-20261122-010000",
                "homeiq-data-api:pre-rebuild", "homeiq-data-api:failed-by-hand",
                "registry:5000/homeiq/admin-api:failed-20261101-000000"), tags, "restore points and other tags stay");
    }

    @Test
    void keepZeroRemovesEveryFailedTag() {
        assertEquals(List.of("a:failed-20261120-010000", "a:failed-20261121-010000"),
                FailedTagRetention.toPrune(List.of("a:failed-20261121-010000", "a:latest", "a:failed-20261120-010000"), 0));
        assertEquals(List.of(), FailedTagRetention.toPrune(List.of("a:failed-20261121-010000"), 3));
    }
}
