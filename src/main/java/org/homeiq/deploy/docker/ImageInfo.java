package org.homeiq.deploy.docker;

import java.util.List;
import java.util.Map;

/**
 * An image as {@code docker image inspect} shows it.
 *
 * @param id image id ({@code sha256:...})
 * @param repoTags the tags that point at it
 * @param created creation time (RFC 3339)
 * @param labels the image's labels
 */
public record ImageInfo(String id, List<String> repoTags, String created, Map<String, String> labels) {
    public ImageInfo {
        repoTags = List.copyOf(repoTags);
        labels = Map.copyOf(labels);
    }
}
