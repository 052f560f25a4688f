package org.homeiq.deploy.backup;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.docker.ComposeFile;
import org.homeiq.deploy.docker.Docker;
import org.homeiq.deploy.docker.DockerEngine;
import org.homeiq.deploy.docker.DockerVolumes;

/**
 * Copies a volume's content out and in through the Engine API's archive endpoint ({@code docker
 * cp}) of a container that mounts it and is never started (see {@link DockerVolumes}). The container needs an image
 * only to exist: one the stack already has is used, so nothing (no busybox) has to be pulled.
 * An explicit image (the deprecated {@code --helper-image}) is preferred when it is on the host.
 */
public final class HelperContainer {
    private final DockerEngine engine;
    private final DockerVolumes volumes;
    private final String preferred;
    private String image;

    /**
     * @param preferred an image to make the containers from when it is on the host, or null to
     *     use one of the stack's own images
     */
    public HelperContainer(DockerEngine engine, DockerVolumes volumes, String preferred) {
        this.engine = engine;
        this.volumes = volumes;
        this.preferred = preferred;
    }

    /** For callers that still hand the old client around: the same, through its Engine API client. */
    @Deprecated
    public HelperContainer(Docker docker, String preferred) {
        this(docker.engine(), docker.engine(), preferred);
    }

    /**
     * Picks the image before anything is touched: the preferred one when present, else the first
     * of the stack's images (its services' containers' images, then the compose file's
     * {@code image:} names) that is on this host. None → EnvironmentException (exit 3).
     */
    public void chooseImage(ComposeFile composeFile, StackControl stack) {
        var candidates = new LinkedHashSet<String>();
        if (preferred != null) {
            candidates.add(preferred);
        }
        var declared = new ArrayList<String>();
        var ids = new ArrayList<String>();
        for (ComposeFile.ComposeService s : composeFile.services()) {
            stack.container(s.name()).ifPresent(c -> {
                candidates.add(c.image());
                ids.add(c.imageId());
            });
            if (s.image() != null) {
                declared.add(s.image());
            }
        }
        // References first (they read well in the log), then ids (a container whose tag moved on).
        candidates.addAll(declared);
        candidates.addAll(ids);
        candidates.removeIf(String::isBlank);
        for (String c : candidates) {
            if (engine.image(c).isPresent()) {
                image = c;
                return;
            }
        }
        throw new EnvironmentException("no image to copy volumes with: none of the images of " + composeFile.path()
                + " is on this Docker host" + (preferred == null ? "" : ", nor " + preferred)
                + " (build or pull the stack once; any image will do, it is never started)");
    }

    /** The image the copy containers are made from (after {@link #chooseImage}). */
    public String image() {
        return image;
    }

    /** For the log: how volumes are copied. */
    public String describe() {
        return "volumes are copied with docker cp (the Engine API's archive endpoint), by a container made from "
                + chosen() + " and never started";
    }

    /** Streams the volume's whole content as a tar stream into {@code out}. */
    public void readVolume(String volume, OutputStream out) {
        volumes.readVolume(volume, chosen(), out);
    }

    /** Extracts a tar stream into the volume, keeping numeric owners, modes and links. */
    public void writeVolume(String volume, InputStream tar) {
        volumes.writeVolume(volume, chosen(), tar);
    }

    private String chosen() {
        if (image == null) {
            throw new IllegalStateException("chooseImage first");
        }
        return image;
    }

}
