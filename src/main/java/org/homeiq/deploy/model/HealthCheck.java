package org.homeiq.deploy.model;

import java.net.URI;

/** An HTTP health endpoint: a 2xx answer from {@code http://host:port/path} means healthy. */
public record HealthCheck(String host, int port, String path) {
    public URI uri() {
        return URI.create("http://" + host + ":" + port + path);
    }

    @Override
    public String toString() {
        return uri().toString();
    }
}
