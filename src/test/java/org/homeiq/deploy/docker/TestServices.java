package org.homeiq.deploy.docker;

import java.time.Duration;
import java.util.List;
import org.homeiq.deploy.model.HealthCheck;
import org.homeiq.deploy.model.Service;

/** Services for unit tests of the run path: a name, a port, what it depends on, a 5 s wait. */
public final class TestServices {
    private static int nextPort = 41000;

    private TestServices() {
    }

    public static synchronized Service service(String name, String... dependsOn) {
        int port = nextPort++;
        return new Service(name, "test", port, List.of(), new HealthCheck("127.0.0.1", port, "/health"), List.of(dependsOn), true,
                Duration.ofSeconds(5));
    }

    public static Service official(String name) {
        Service s = service(name);
        return new Service(s.name(), s.group(), s.port(), List.of(), s.health(), List.of(), false, s.maxWait());
    }
}
