package org.homeiq.deploy.model.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.homeiq.deploy.model.Deployment;
import org.homeiq.deploy.model.Service;
import org.homeiq.deploy.model.WaveMode;
import org.junit.jupiter.api.Test;

/** The bundled data says what the plan says. */
class BundledDataTest {
    private final DeploymentLoader.Loaded loaded = DeploymentLoader.loadWithSources(List.of());
    private final Deployment d = loaded.deployment();

    @Test
    void inventoryHasEveryServiceOfThePlansInventory() {
        assertEquals(45, d.inventory().size());
        Service dataApi = d.inventory().get("data-api");
        assertEquals(8006, dataApi.port());
        assertEquals("http://localhost:8006/health", dataApi.health().uri().toString());
        assertEquals(List.of("influxdb"), dataApi.dependsOn());
        assertEquals(Duration.ofSeconds(30), dataApi.maxWait());
    }

    @Test
    void healthEndpointsFollowThePlan() {
        assertEquals("/", d.inventory().get("health-dashboard").health().path());
        assertEquals("/_stcore/health", d.inventory().get("observability-dashboard").health().path());
        assertEquals(16686, d.inventory().get("jaeger").health().port());
        assertEquals(List.of(16686, 4317, 4318), d.inventory().get("jaeger").hostPorts());
    }

    @Test
    void officialImagesAreOnlyRestarted() {
        assertFalse(d.inventory().get("influxdb").rebuilt());
        assertFalse(d.inventory().get("jaeger").rebuilt());
        assertTrue(d.inventory().get("ml-service").rebuilt());
    }

    @Test
    void shortDependencyNamesAreResolvedAndReported() {
        assertEquals(List.of("influxdb", "websocket-ingestion", "data-api"),
                d.inventory().get("admin-api").dependsOn());
        assertTrue(loaded.notes().stream().anyMatch(f -> f.code().equals("short-name")
                && f.message().contains("'websocket'") && f.where().startsWith("resources/homeiq/inventory.yaml:")));
    }

    @Test
    void daysAndPhasesKeepThePlansOrder() {
        assertEquals(5, d.plan().days().size());
        assertEquals(5, d.plan().phases().size());
        var day3 = d.plan().day(3);
        assertEquals(List.of("d3-ai-core", "d3-ai-agents", "d3-ml"), day3.waves().stream().map(w -> w.id()).toList());
        assertEquals(List.of("ai-core-service", "ai-pattern-service", "ai-query-service"), day3.waves().get(0).services());
        assertEquals(WaveMode.PARALLEL, d.plan().wave("p2-ai-batch1").mode());
        assertEquals(Duration.ofHours(1), d.plan().gate("phase1").stabilityWindow());
        assertEquals(100, d.plan().gate("phase1").logLines());
    }

    @Test
    void everyInventoryServiceIsDeployedOnSomeDay() {
        var deployed = d.plan().days().stream().flatMap(s -> s.waves().stream()).flatMap(w -> w.services().stream()).toList();
        for (Service s : d.inventory().all()) {
            assertTrue(deployed.contains(s.name()), s.name() + " is never deployed");
        }
    }
}
