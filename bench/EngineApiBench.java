import java.time.Duration;
import org.homeiq.deploy.docker.EngineApi;

/**
 * Run by bench/engine-api.sh (java source-file mode, the engine jar on the class path): client
 * start (first connect, classes loading included) and N container inspects through one client.
 */
public class EngineApiBench {
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) {
        String container = args[0];
        int n = Integer.parseInt(args[1]);
        long t0 = System.nanoTime();
        try (EngineApi engine = EngineApi.connect()) {
            long connected = System.nanoTime();
            engine.container(container).orElseThrow();
            long first = System.nanoTime();
            long cpu0 = cpu();
            for (int i = 0; i < n; i++) {
                engine.container(container).orElseThrow();
            }
            long done = System.nanoTime();
            long cpu = cpu() - cpu0;
            System.out.printf("client start (connect + version): %d ms%n", Duration.ofNanos(connected - t0).toMillis());
            System.out.printf("first inspect: %.1f ms%n", (first - connected) / 1e6);
            System.out.printf("inspect, mean of %d: %.2f ms wall, %.2f ms CPU of this JVM%n", n, (done - first) / 1e6 / n, cpu / 1e6 / n);
        }
    }
}
