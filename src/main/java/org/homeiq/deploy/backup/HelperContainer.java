package org.homeiq.deploy.backup;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.docker.Docker;
import org.homeiq.deploy.docker.ProcessResult;

/**
 * Short-lived containers that touch a volume's files for us: {@code tar} streams the content out
 * (read-only mount) or in. No network, removed when done, named and labelled so a leftover is
 * recognisable. Only {@code tar} and {@code find}/{@code rm} from the image are used, so any
 * busybox or Debian-like image works.
 */
public final class HelperContainer {
    /** A volume of HomeIQ's size streams in minutes; hours means something is stuck. */
    static final Duration STREAM_TIMEOUT = Duration.ofHours(6);
    static final Duration QUICK = Duration.ofMinutes(5);
    public static final String LABEL = "org.homeiq.deploy.helper";

    private final Docker docker;
    private final String image;

    public HelperContainer(Docker docker, String image) {
        this.docker = docker;
        this.image = image;
    }

    public String image() {
        return image;
    }

    /** The helper image must be present: no registry is assumed. */
    public void requireImage() {
        if (docker.image(image).isEmpty()) {
            throw new EnvironmentException("helper image " + image + " is not on this Docker host "
                    + "(pull or load it, or name another with --helper-image)");
        }
    }

    /** Streams the volume's whole content as a tar stream into {@code out}. */
    public ProcessResult readVolume(String volume, OutputStream out) {
        return docker.streamOut(STREAM_TIMEOUT, out, run(volume, true, false, "tar", "c", "-f", "-", "-C", "/data", "."));
    }

    /** Removes everything inside the volume (the volume itself stays, with its mount options). */
    public void clearVolume(String volume) {
        docker.check(QUICK, run(volume, false, false,
                "find", "/data", "-mindepth", "1", "-maxdepth", "1", "-exec", "rm", "-rf", "{}", "+"));
    }

    /** Extracts a tar stream into the volume, keeping numeric owners, modes and links. */
    public ProcessResult writeVolume(String volume, InputStream tar) {
        return docker.streamIn(STREAM_TIMEOUT, tar, run(volume, false, true, "tar", "x", "-f", "-", "-C", "/data", "--numeric-owner"));
    }

    private String[] run(String volume, boolean readOnly, boolean stdin, String... command) {
        var args = new ArrayList<String>(List.of("run", "--rm", "--network", "none", "--log-driver", "none",
                "--name", "homeiq-helper-" + UUID.randomUUID().toString().substring(0, 12),
                "--label", LABEL + "=" + volume,
                "-v", volume + ":/data" + (readOnly ? ":ro" : "")));
        if (stdin) {
            args.add("-i");
        }
        args.add("--entrypoint");
        args.add(command[0]);
        args.add(image);
        for (int i = 1; i < command.length; i++) {
            args.add(command[i]);
        }
        return args.toArray(String[]::new);
    }
}
