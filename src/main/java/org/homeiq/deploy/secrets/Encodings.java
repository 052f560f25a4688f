package org.homeiq.deploy.secrets;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The forms a secret value takes on its way out of a program: base64 (as in an HTTP header or a
 * Kubernetes secret), URL-encoded (as in a query string or a connection URL), escaped inside
 * quotes (as in JSON, a shell command, a compose file), JSON as Go and Python write it
 * (a backslash-u escape for {@code <} or {@code é}), XML/HTML-escaped ({@code &lt;}, {@code &quot;},
 * {@code &#39;}). Then every one of those forms as the engine's own writers encode it: inside a
 * Jackson JSON string, and in XML text and attributes as the JDK's {@link XMLStreamWriter} writes
 * them. The masker hides all of them, so masking the final bytes of any output is enough.
 */
public final class Encodings {
    /**
     * Shortest base64 fragment masked when the value is encoded together with other text; shorter
     * fragments would hide unrelated base64 by accident.
     */
    static final int MIN_FRAGMENT = 8;

    /** The JDK's own StAX writer, whatever else is on the class path: the JUnit file is written with it. */
    public static final XMLOutputFactory XML = XMLOutputFactory.newDefaultFactory();
    private static final String[] XML_TEXT = xmlEscapes(false);
    private static final String[] XML_ATTRIBUTE = xmlEscapes(true);

    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** Characters URL-encoding leaves alone. */
    private static final boolean[] URL_SAFE = ascii(ALNUM + "._*-");
    /** Characters no JSON, XML, shell or quote escaping touches. */
    private static final boolean[] PLAIN = ascii(ALNUM + " ._*-+/=:,;@%~^!?()[]{}|#");

    private Encodings() {
    }

    /**
     * The value itself and its encodings, with few duplicates (the masker's index drops the
     * rest). Forms are made only where they can differ from the value: a long plain value costs
     * little more than its base64 forms.
     */
    static List<String> of(String value) {
        var forms = new ArrayList<String>();
        forms.add(value);
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        base64(bytes, forms);
        // `echo "$TOKEN" | base64` encodes the trailing newline too.
        base64((value + "\n").getBytes(StandardCharsets.UTF_8), forms);
        base64Fragments(bytes, forms);

        if (!only(value, URL_SAFE)) {
            String form = URLEncoder.encode(value, StandardCharsets.UTF_8);
            forms.add(form);
            String percent = form.replace("+", "%20");
            forms.add(percent);
            forms.add(lowerHex(percent));
        }
        if (!only(value, PLAIN)) {
            forms.addAll(special(value));
        }
        forms.removeIf(String::isEmpty);
        return forms;
    }

    /**
     * The forms of a value with characters that JSON, XML or a shell escape: quoted, then as
     * other programs' JSON and XML writers put each form in a log line, then as the engine's
     * own writers put any of those in a report.
     */
    private static Set<String> special(String value) {
        var base = new LinkedHashSet<String>();
        base.add(value);
        base.add(json(value));
        base.add(value.replace("\\", "\\\\").replace("\"", "\\\""));
        base.add(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`"));
        base.add(value.replace("'", "'\\''"));
        base.add(value.replace("'", "'\"'\"'"));
        var logged = new LinkedHashSet<>(base);
        for (String f : base) {
            String json = json(f);
            logged.add(json);
            // Go's encoding/json (Docker, most Go services) escapes <, > and & for HTML safety.
            logged.add(json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"));
            logged.add(json.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026"));
            logged.add(asciiJson(json)); // Python's json.dumps
            logged.add(xmlText(f));
            String attribute = xmlAttribute(f);
            logged.add(attribute);
            logged.add(attribute.replace("'", "&apos;"));
            logged.add(attribute.replace("'", "&#39;"));
            logged.add(attribute.replace("'", "&#x27;"));
        }
        var written = new LinkedHashSet<>(logged);
        for (String f : logged) {
            written.add(json(f));
            written.add(xmlText(f));
            written.add(xmlAttribute(f));
        }
        return written;
    }

    /** Standard and URL-safe alphabet, padded and not: only the forms that differ. */
    private static void base64(byte[] bytes, List<String> forms) {
        String padded = Base64.getEncoder().encodeToString(bytes);
        withUrlSafe(padded, forms);
        int end = padded.length();
        while (end > 0 && padded.charAt(end - 1) == '=') {
            end--;
        }
        if (end < padded.length()) {
            withUrlSafe(padded.substring(0, end), forms);
        }
    }

    private static void withUrlSafe(String base64, List<String> forms) {
        forms.add(base64);
        if (base64.indexOf('+') >= 0 || base64.indexOf('/') >= 0) {
            forms.add(base64.replace('+', '-').replace('/', '_'));
        }
    }

    /**
     * When the value is encoded inside a longer text ({@code user:TOKEN}, {@code Bearer TOKEN}),
     * only the base64 groups made of value bytes alone are predictable; which groups those are
     * depends on where the value starts modulo 3. Mask that middle part for all three offsets.
     */
    private static void base64Fragments(byte[] bytes, List<String> forms) {
        for (int skip = 0; skip < 3; skip++) {
            int usable = (bytes.length - skip) / 3 * 3;
            if (usable * 4 / 3 < MIN_FRAGMENT || skip == 0 && usable == bytes.length) {
                continue; // too short, or the whole value's base64, already there
            }
            withUrlSafe(Base64.getEncoder().encodeToString(Arrays.copyOfRange(bytes, skip, skip + usable)), forms);
        }
    }

    /** Whether every character of the text is in the ASCII set given. */
    private static boolean only(String text, boolean[] ascii) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= ascii.length || !ascii[c]) {
                return false;
            }
        }
        return true;
    }

    private static boolean[] ascii(String chars) {
        var set = new boolean[128];
        chars.chars().forEach(c -> set[c] = true);
        return set;
    }

    /** The value as it stands between the quotes of a JSON string: what Jackson writes. */
    static String json(String value) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(value));
    }

    /** JSON with every non-ASCII character as a lower-case {@code \\uXXXX} escape. */
    private static String asciiJson(String json) {
        var out = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c < 0x80) {
                out.append(c);
            } else {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    /** The text as the JDK's StAX writer puts it between tags. */
    static String xmlText(String text) {
        return escape(text, XML_TEXT);
    }

    /** The text as the JDK's StAX writer puts it between the quotes of an attribute. */
    static String xmlAttribute(String text) {
        return escape(text, XML_ATTRIBUTE);
    }

    private static String escape(String text, String[] table) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String r = c < table.length ? table[c] : null;
            if (r != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (r != null) {
                    out.append(r);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * How {@link #XML} escapes each ASCII character, in text or in an attribute: asked of the
     * writer itself once, so the masker's XML forms are the writer's by construction (its escaping
     * goes character by character; anything above ASCII it writes as is in UTF-8).
     */
    private static String[] xmlEscapes(boolean attribute) {
        var table = new String[128];
        for (char c = 0; c < 128; c++) {
            var out = new StringWriter();
            try {
                XMLStreamWriter w = XML.createXMLStreamWriter(out);
                w.writeStartElement("x");
                if (attribute) {
                    w.writeAttribute("a", "[" + c + "]");
                } else {
                    w.writeCharacters("[" + c + "]");
                }
                w.writeEndElement();
                w.close();
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
            String doc = out.toString();
            String written = doc.substring(doc.indexOf('[') + 1, doc.lastIndexOf(']'));
            table[c] = written.equals(String.valueOf(c)) ? null : written;
        }
        return table;
    }

    private static String lowerHex(String percentEncoded) {
        var out = new StringBuilder(percentEncoded.length());
        for (int i = 0; i < percentEncoded.length(); i++) {
            char c = percentEncoded.charAt(i);
            out.append(c);
            if (c == '%' && i + 2 < percentEncoded.length()) {
                out.append(percentEncoded.substring(i + 1, i + 3).toLowerCase(Locale.ROOT));
                i += 2;
            }
        }
        return out.toString();
    }
}
