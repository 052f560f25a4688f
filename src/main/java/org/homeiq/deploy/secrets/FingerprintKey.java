package org.homeiq.deploy.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.homeiq.deploy.EnvironmentException;

/**
 * The per-stack key of {@code .env} fingerprints: HMAC-SHA256 with 32 random bytes kept in
 * {@code <project-dir>/.homeiq/fingerprint.key} (0600, created on first use). A backup holds
 * the HMAC of each value, never the key, so a short token cannot be found by hashing guesses;
 * backups of the same stack share the key, so their fingerprints still compare.
 */
public final class FingerprintKey {
    public static final String FILE = "fingerprint.key";
    private static final int BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path stateDir;
    private byte[] key;

    private FingerprintKey(Path stateDir) {
        this.stateDir = stateDir;
    }

    /**
     * The key under {@code stateDir}. Read, or made there (0600), only when a fingerprint is
     * first asked for, so naming it changes nothing while the input is still being checked.
     */
    public static FingerprintKey in(Path stateDir) {
        return new FingerprintKey(stateDir);
    }

    private synchronized byte[] key() {
        if (key == null) {
            key = load(stateDir);
        }
        return key;
    }

    private static byte[] load(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        try {
            return read(file);
        } catch (NoSuchFileException e) {
            byte[] fresh = new byte[BYTES];
            new SecureRandom().nextBytes(fresh);
            Path tmp = stateDir.resolve("." + FILE + "." + ProcessHandle.current().pid() + ".tmp");
            try {
                PrivateFile.write(tmp, fresh);
                Files.move(tmp, file); // no replace: a key made meanwhile by another run wins
                return fresh;
            } catch (FileAlreadyExistsException raced) {
                deleteQuietly(tmp);
                return load(stateDir);
            } catch (IOException io) {
                deleteQuietly(tmp);
                throw new EnvironmentException("cannot create the fingerprint key " + file + ": " + io.getMessage(), io);
            }
        } catch (IOException e) {
            throw new EnvironmentException("cannot read the fingerprint key " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file) throws IOException {
        byte[] key = Files.readAllBytes(file);
        if (key.length != BYTES) {
            throw new EnvironmentException(file + " is not a fingerprint key (" + key.length + " bytes, not " + BYTES
                    + "); move it away and a new one is made (older backups then compare as 'other key')");
        }
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")
                && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY); // someone widened it: narrow it again
        }
        return key;
    }

    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // a 0600 temporary file named after the key; harmless
        }
    }

    /** The value's fingerprint: hex HMAC-SHA256. */
    public String of(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Names the key without revealing it, so a manifest says which key made its fingerprints. */
    public String id() {
        return of("homeiq-deploy fingerprint key id").substring(0, 16);
    }
}
