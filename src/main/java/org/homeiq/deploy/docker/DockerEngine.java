package org.homeiq.deploy.docker;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Docker as the engine reads it: containers, images, logs and the event stream, plus the tag
 * changes restore points need. The real one talks to the Engine API on its socket with one client
 * per run; unit tests use an in-memory fake. Compose-only work (build, up, restart) is
 * {@link ComposeProject}'s.
 *
 * <p>Failures of the daemon itself (gone, timed out) are {@link org.homeiq.deploy.EnvironmentException}s;
 * "no such container/image" is an empty result, never an exception.
 */
public interface DockerEngine extends AutoCloseable {

    /** The daemon's version; throws EnvironmentException when it does not answer. */
    String serverVersion();

    /**
     * The container compose made for {@code service} of {@code project} (found by the labels
     * {@code com.docker.compose.project} and {@code com.docker.compose.service}), in any state;
     * the newest when there are several; empty when there is none.
     */
    Optional<ContainerState> serviceContainer(String project, String service);

    /** One container by id or name; empty when it does not exist. */
    Optional<ContainerState> container(String idOrName);

    /** The last {@code lines} lines the container wrote (stdout and stderr); empty when it has none or is gone. */
    List<String> logs(String container, int lines);

    /** An image by reference or id; empty when it does not exist. */
    Optional<ImageInfo> image(String ref);

    /** Image references (repo:tag) whose repository matches {@code reference} (Docker's filter syntax). */
    List<String> images(String reference);

    /** Points {@code target} (repo:tag) at {@code source} (an image id or reference). */
    void tag(String source, String target);

    /** Removes a tag (the image itself goes when nothing else uses it). A missing tag is fine. */
    void untag(String ref);

    /**
     * Removes a container (forced, its volumes kept). The run path removes only a container compose
     * created and could not start, so that the previous one can run again.
     */
    void removeContainer(String id);

    /**
     * Container events of one compose project (start, die, restart, health_status, destroy ...),
     * delivered in order on one thread until the returned subscription is closed. Subscribing
     * returns once the stream is open: nothing that happens after the call is missed.
     */
    Subscription events(String project, Consumer<ContainerEvent> listener);

    /** Ends the client and every subscription of it. */
    @Override
    void close();

    /** An open event stream; closing it stops delivery. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
