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
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;

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
        forms.add(jsonContent(secret));
        forms.add(secret.replace("\\", "\\\\").replace("\"", "\\\""));
        forms.add(secret.replace("'", "'\\''"));
        for (String f : List.copyOf(forms)) {
            // As a JSON string inside a JSON string (a log line that is JSON, in a JSON report),
            // with Go's HTML-safe escapes, and XML-escaped as between tags, in attributes, and in HTML.
            String json = jsonContent(f);
            forms.add(json);
            forms.add(json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"));
            String text = f.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
            forms.add(text);
            forms.add(text.replace("\"", "&quot;"));
            forms.add(text.replace("\"", "&quot;").replace("'", "&#39;"));
            forms.add(text.replace("\"", "&quot;").replace("'", "&apos;"));
        }
        // A value with a line break shows as two lines in a log: each long line is a secret too.
        for (String line : secret.split("\r?\n")) {
            if (!line.equals(secret) && line.strip().length() >= 4) {
                forms.addAll(new SecretSearch(line).forms);
            }
        }
        forms.remove("");
    }

    private static String jsonContent(String s) {
        try {
            String json = new ObjectMapper().writeValueAsString(s);
            return json.substring(1, json.length() - 1);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value as a double-quoted .env value (Dotenv's escapes: backslash, quote, newline). */
    public static String dotenvQuoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
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

    /** Every attribute value and text of an XML file, decoded as Jenkins reads them for its Tests tab. */
    public static String decodedXml(Path file) {
        try {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
            var out = new StringBuilder();
            collect(doc.getDocumentElement(), out);
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot parse " + file, e);
        }
    }

    private static void collect(org.w3c.dom.Node node, StringBuilder out) {
        if (node.getAttributes() != null) {
            for (int i = 0; i < node.getAttributes().getLength(); i++) {
                out.append(node.getAttributes().item(i).getNodeValue()).append('\n');
            }
        }
        if (node.getNodeType() == org.w3c.dom.Node.TEXT_NODE || node.getNodeType() == org.w3c.dom.Node.CDATA_SECTION_NODE) {
            out.append(node.getNodeValue()).append('\n');
        }
        for (org.w3c.dom.Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
            collect(c, out);
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
                    if (f.toString().endsWith(".xml")) {
                        assertAbsent("file " + f + " as an XML reader decodes it", decodedXml(f));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
