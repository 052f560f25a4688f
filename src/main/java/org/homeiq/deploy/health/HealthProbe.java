package org.homeiq.deploy.health;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * One look at a health endpoint, asynchronous so one scheduler can probe every service in flight.
 * The answer is what a person reads in the report: {@code HTTP 200}, {@code connection refused},
 * {@code no answer within 2s}; 2xx means healthy. Unit tests answer from an in-memory fake.
 */
public interface HealthProbe {
    CompletableFuture<String> get(URI uri);

    /** True for an answer that counts as healthy. */
    static boolean ok(String answer) {
        return answer.startsWith("HTTP 2");
    }
}
