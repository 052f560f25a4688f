// Puts the pinned engine jar into the agent's cache: downloaded from a Maven repository (http:,
// https:, file: or a plain directory), verified by SHA-256, written atomically.
// Run by vars/homeiqEngine.groovy as a JDK 17 single-file program (`java EngineFetch.java ...`),
// because the one thing every agent has is a JVM: no curl/sha256sum/bash assumptions, same code on
// Linux and Windows. Proxies come from the standard Java properties (-Dhttps.proxyHost=...).
//
// Usage: java EngineFetch.java URL SHA256 TARGET
//   A TARGET that already has the expected SHA-256 is used as it is, without any request.
//   HOMEIQ_ENGINE_FETCH_TIMEOUT: seconds the whole transfer may take (default 600).
// Exit: 0 TARGET present and verified; 1 download or checksum failed (TARGET untouched, no
//       temporary file left); 2 bad arguments.

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

public class EngineFetch {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    static final String TIMEOUT_VARIABLE = "HOMEIQ_ENGINE_FETCH_TIMEOUT";
    static final long DEFAULT_TIMEOUT_SECONDS = 600;

    /** A failed transfer, its message naming what went wrong (the URL is added by the caller). */
    static final class FetchFailure extends Exception {
        FetchFailure(String message) {
            super(message);
        }
    }

    public static void main(String[] args) throws Exception {
        // System.exit only here: inside fetch() it would skip the finally that removes the temp file.
        System.exit(fetch(args));
    }

    static int fetch(String[] args) throws Exception {
        if (args.length != 3 || !args[1].matches("[0-9a-fA-F]{64}")) {
            System.err.println("usage: java EngineFetch.java URL SHA256(64 hex digits) TARGET");
            return 2;
        }
        URI url;
        long timeoutSeconds;
        try {
            url = source(args[0]);
            timeoutSeconds = timeoutSeconds(System.getenv(TIMEOUT_VARIABLE));
        } catch (IllegalArgumentException e) {
            System.err.println("EngineFetch: " + e.getMessage());
            return 2;
        }
        String expected = args[1].toLowerCase();
        Path target = Path.of(args[2]).toAbsolutePath().normalize();

        if (Files.isRegularFile(target)) {
            String cached = sha256(target);
            if (cached.equals(expected)) {
                System.out.println("engine found in the cache: " + target + " (SHA-256 " + cached + ")");
                return 0;
            }
            System.err.println("cached " + target + " has SHA-256 " + cached + ", expected " + expected
                    + "; downloading it again");
        }

        Files.createDirectories(target.getParent());
        // Same directory as the target, so the final move is a rename on one file system.
        Path temp = Files.createTempFile(target.getParent(), ".download-", ".part");
        try {
            copy(url, temp, timeoutSeconds);
            String actual = sha256(temp);
            if (!actual.equals(expected)) {
                System.err.println("checksum mismatch for " + url + ": expected SHA-256 " + expected
                        + ", got " + actual + " (" + Files.size(temp) + " bytes); the download was discarded, "
                        + target + " was not written");
                return 1;
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            System.out.println("engine downloaded from " + url + " to " + target + " (SHA-256 " + actual + ")");
            return 0;
        } catch (FetchFailure e) {
            System.err.println("download of " + url + " failed: " + e.getMessage() + "; " + target + " was not written");
            return 1;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * The artifact's location: an http(s) or file URL, or a plain path, so that a repository given
     * as a directory (/srv/maven, C:\maven) works as well as file:///srv/maven.
     */
    static URI source(String text) {
        // A one-letter "scheme" is a Windows drive, not a URL.
        if (!text.matches("(?i)[a-z][a-z0-9+.-]+:.*")) {
            return Path.of(text).toAbsolutePath().toUri();
        }
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + text + " (" + e.getReason() + ")");
        }
        String scheme = url.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
            throw new IllegalArgumentException("cannot download " + text + ": only http, https and file URLs are supported");
        }
        return url;
    }

    static long timeoutSeconds(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_TIMEOUT_SECONDS;
        }
        if (!value.trim().matches("[1-9][0-9]{0,6}")) {
            throw new IllegalArgumentException(TIMEOUT_VARIABLE + " must be a number of seconds, got '" + value + "'");
        }
        return Long.parseLong(value.trim());
    }

    static void copy(URI url, Path temp, long timeoutSeconds) throws FetchFailure, IOException {
        if (url.getScheme().equalsIgnoreCase("file")) {
            try {
                Files.copy(Path.of(url), temp, StandardCopyOption.REPLACE_EXISTING);
            } catch (NoSuchFileException e) {
                throw new FetchFailure("no such file " + e.getFile());
            } catch (IOException e) {
                throw new FetchFailure("cannot read it: " + e);
            }
            return;
        }
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpRequest request = HttpRequest.newBuilder(url).GET().build();
        // The body goes to the file only on 2xx; an error page is read and dropped.
        HttpResponse.BodyHandler<Path> handler = info -> info.statusCode() / 100 == 2
                ? BodyHandlers.ofFile(temp).apply(info)
                : BodySubscribers.replacing(null);
        // One deadline for connect, headers and body: the JDK's request timeout ends at the headers,
        // and a server that stops sending mid-body would otherwise hold the step forever.
        CompletableFuture<HttpResponse<Path>> transfer = client.sendAsync(request, handler);
        HttpResponse<Path> response;
        try {
            response = transfer.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            transfer.cancel(true);
            throw new FetchFailure("not complete after " + timeoutSeconds + " s (" + TIMEOUT_VARIABLE + ")");
        } catch (InterruptedException e) {
            transfer.cancel(true);
            throw new FetchFailure("interrupted");
        } catch (ExecutionException e) {
            throw new FetchFailure(reason(e.getCause(), url));
        }
        if (response.statusCode() / 100 != 2) {
            throw new FetchFailure("HTTP " + response.statusCode());
        }
    }

    /** What a failed HTTP exchange means, in words (the JDK's exceptions often carry no message). */
    static String reason(Throwable e, URI url) {
        String where = url.getHost() + ":" + (url.getPort() != -1 ? url.getPort() : url.getScheme().equalsIgnoreCase("https") ? 443 : 80);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host " + url.getHost();
            }
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection to " + where + " within " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof ConnectException) {
            return "cannot connect to " + where + " (" + (e.getMessage() == null ? "connection refused" : e.getMessage()) + ")";
        }
        if (e instanceof IOException) {
            // e.g. the connection closed before Content-Length bytes arrived: a truncated transfer
            return "transfer broken off: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return e.toString();
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
