package org.homeiq.deploy.lock;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import org.homeiq.deploy.JenkinsBuild;

/**
 * Who holds the stack lock: written into the lock file by the holder, read by whoever waits. The OS
 * lock says whether it is held; this says by whom.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LockHolder(long pid, String host, String command, String build, String buildUrl, String since) {
    /** This process, running {@code command}. */
    static LockHolder self(String command) {
        var build = JenkinsBuild.current();
        return new LockHolder(ProcessHandle.current().pid(), hostName(), command,
                build.map(JenkinsBuild::tag).orElse(null), build.map(JenkinsBuild::url).orElse(null), Instant.now().toString());
    }

    /** {@code pid 4711 on ci-agent-1, 'rebuild-wave wave d1-core', Jenkins build jenkins-x-42, since 2026-...Z}. */
    public String describe() {
        return "pid " + pid + " on " + host + ", '" + command + "'"
                + (build == null ? "" : ", Jenkins build " + build + (buildUrl == null ? "" : " (" + buildUrl + ")"))
                + ", since " + since;
    }

    /** Whether the process is known to be gone (same host only: another host's pids mean nothing here). */
    boolean goneFromThisHost() {
        return host.equals(hostName()) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "unknown-host" : env;
        }
    }
}
