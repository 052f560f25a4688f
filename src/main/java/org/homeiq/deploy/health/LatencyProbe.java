package org.homeiq.deploy.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Measures a health endpoint's latency as the median of a few sequential requests (one slow
 * request on a busy Docker host must not fail a gate), and judges it against a baseline.
 */
public final class LatencyProbe implements AutoCloseable {
    /** Below this, differences are scheduler noise, not a slower service. */
    static final Duration NOISE_FLOOR = Duration.ofMillis(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int samples;

    public LatencyProbe(int samples) {
        this.samples = samples;
    }

    /** Median latency of {@code samples} GETs answered 2xx; empty when any request fails. */
    public java.util.Optional<Duration> median(URI uri) {
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            var req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
            long t0 = System.nanoTime();
            try {
                HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 != 2) {
                    return java.util.Optional.empty();
                }
            } catch (IOException e) {
                return java.util.Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return java.util.Optional.empty();
            }
            nanos.add(System.nanoTime() - t0);
        }
        Collections.sort(nanos);
        return java.util.Optional.of(Duration.ofNanos(nanos.get(nanos.size() / 2)));
    }

    @Override
    public void close() {
        HttpHealthProbe.stop(http);
    }

    /** The most a service may take: baseline plus the tolerance, plus the noise floor. */
    public static Duration allowed(Duration baseline, int tolerancePercent) {
        return Duration.ofNanos(baseline.toNanos() * (100 + tolerancePercent) / 100).plus(NOISE_FLOOR);
    }

    /** The verdict as a check: seen median vs allowed. */
    public static Check judge(Duration seen, Duration baseline, int tolerancePercent) {
        Duration max = allowed(baseline, tolerancePercent);
        return new Check("latency", seen.compareTo(max) <= 0,
                "median at most " + ms(max) + " (baseline " + ms(baseline) + " + " + tolerancePercent + "%)",
                "median " + ms(seen));
    }

    static String ms(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1fms", d.toNanos() / 1_000_000.0);
    }
}
