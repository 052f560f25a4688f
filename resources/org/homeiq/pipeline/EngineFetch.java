// Downloads the pinned engine jar into the agent's cache, verified by SHA-256, written atomically.
// Run by vars/homeiqEngine.groovy as a JDK 17 single-file program (`java EngineFetch.java ...`),
// because the one thing every agent has is a JVM: no curl/sha256sum/bash assumptions, same code on
// Linux and Windows. Proxies come from the standard Java properties (-Dhttps.proxyHost=...).
//
// Usage: java EngineFetch.java URL SHA256 TARGET
// Exit: 0 target present and verified; 1 download or checksum failed (nothing left at TARGET);
//       2 bad arguments.

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

public class EngineFetch {
    public static void main(String[] args) throws Exception {
        // System.exit only here: inside fetch() it would skip the finally that removes the temp file.
        System.exit(fetch(args));
    }

    static int fetch(String[] args) throws Exception {
        if (args.length != 3 || !args[1].matches("[0-9a-fA-F]{64}")) {
            System.err.println("usage: java EngineFetch.java URL SHA256(64 hex digits) TARGET");
            return 2;
        }
        URI url = URI.create(args[0]);
        String expected = args[1].toLowerCase();
        Path target = Path.of(args[2]).toAbsolutePath();
        Files.createDirectories(target.getParent());
        // Same directory as the target, so the final move is a rename on one file system.
        Path temp = Files.createTempFile(target.getParent(), ".download-", ".part");
        try {
            String actual = download(url, temp);
            if (!actual.equals(expected)) {
                System.err.println("checksum mismatch for " + url + ": expected SHA-256 " + expected
                        + ", got " + actual + "; the download was discarded");
                return 1;
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            System.out.println("engine downloaded from " + url + " to " + target + " (SHA-256 " + actual + ")");
            return 0;
        } catch (IOException e) {
            System.err.println("download of " + url + " failed: " + e);
            return 1;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String download(URI url, Path temp) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5)).GET().build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() / 100 != 2) {
                throw new IOException("HTTP " + response.statusCode());
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha)) {
                in.transferTo(out);
            }
            return HexFormat.of().formatHex(sha.digest());
        }
    }
}
