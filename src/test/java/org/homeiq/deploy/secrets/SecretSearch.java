package org.homeiq.deploy.secrets;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Test helper: looks for a secret and its encodings in text and in files. Computes the encodings
 * itself (not through the masker under test) so a masker that forgets one is caught.
 */
public final class SecretSearch {
    private final String secret;
    private final Set<String> forms = new LinkedHashSet<>();

    public SecretSearch(String secret) {
        this.secret = secret;
        byte[] b = secret.getBytes(StandardCharsets.UTF_8);
        forms.add(secret);
        forms.add(Base64.getEncoder().encodeToString(b));
        forms.add(Base64.getEncoder().withoutPadding().encodeToString(b));
        forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
        forms.add(Base64.getEncoder().encodeToString((secret + "\n").getBytes(StandardCharsets.UTF_8)));
        String url = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        forms.add(url);
        forms.add(url.replace("+", "%20"));
        try {
            String json = new ObjectMapper().writeValueAsString(secret);
            forms.add(json.substring(1, json.length() - 1));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        forms.add(secret.replace("\\", "\\\\").replace("\"", "\\\""));
        forms.add(secret.replace("'", "'\\''"));
    }

    public Set<String> forms() {
        return forms;
    }

    /** The forms of the secret found in the text, empty when none. */
    public List<String> hits(String text) {
        var hits = new ArrayList<String>();
        for (String f : forms) {
            if (text.contains(f)) {
                hits.add(f.equals(secret) ? "the value" : "encoded form " + f);
            }
        }
        return hits;
    }

    public void assertAbsent(String what, String text) {
        List<String> hits = hits(text);
        if (!hits.isEmpty()) {
            fail(what + " shows the secret (" + String.join(", ", hits) + "):\n" + text);
        }
    }

    /** Every regular file under {@code dir} accepted by {@code include}, its name and bytes searched. */
    public void assertAbsentInFiles(Path dir, Predicate<Path> include) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.toList()) {
                assertAbsent("path " + f, dir.relativize(f).toString());
                if (Files.isRegularFile(f) && include.test(f)) {
                    // ISO-8859-1 maps every byte to a char: binary files are searched too.
                    assertAbsent("file " + f, Files.readString(f, StandardCharsets.ISO_8859_1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
