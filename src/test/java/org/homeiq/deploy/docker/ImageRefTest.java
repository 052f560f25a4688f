package org.homeiq.deploy.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Image references as restore points and failed-* tags name them. */
class ImageRefTest {
    @Test
    void imageReferencesSplitAtTheTagNotTheRegistryPort() {
        assertEquals(new ImageRef("registry:5000/homeiq/data-api", "latest"), ImageRef.parse("registry:5000/homeiq/data-api"));
        assertEquals(new ImageRef("homeiq/data-api", "pre-rebuild"), ImageRef.parse("homeiq/data-api:pre-rebuild"));
        assertEquals("influxdb:failed-20260101-000000", ImageRef.parse("influxdb:2.7").withTag("failed-20260101-000000").toString());
    }
}
