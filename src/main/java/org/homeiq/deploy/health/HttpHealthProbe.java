package org.homeiq.deploy.health;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** {@link HealthProbe} over the JDK's HttpClient: one client, asynchronous requests, two threads for every service. */
public final class HttpHealthProbe implements HealthProbe, AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "homeiq-http-probe");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();

    @Override
    public CompletableFuture<String> get(URI uri) {
        var req = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.discarding())
                .handle((r, e) -> e == null ? "HTTP " + r.statusCode() : describe(e));
    }

    private static String describe(Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (c instanceof HttpTimeoutException) {
            return "no answer within " + TIMEOUT.toSeconds() + "s";
        }
        if (c instanceof ConnectException) {
            return "connection refused";
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
