package org.homeiq.deploy.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MaskerTest {
    // Chosen so every encoding differs from the value: '/', '+', space, both quotes, '%', '&', '='.
    static final String SECRET = "Zq9/Tk+n \"q\" & 'x' %20==";

    private final Masker masker = new Masker();

    MaskerTest() {
        masker.add(SECRET);
    }

    private void assertMasked(String text) {
        String out = masker.mask("before " + text + " after");
        assertEquals("before " + Masker.MASK + " after", out, "encoding " + text);
    }

    @Test
    void masksTheValue() {
        assertMasked(SECRET);
    }

    @Test
    void masksBase64() {
        byte[] b = SECRET.getBytes(StandardCharsets.UTF_8);
        assertMasked(Base64.getEncoder().encodeToString(b));
        assertMasked(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
        assertMasked(Base64.getEncoder().encodeToString((SECRET + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void masksBase64OfTextAroundTheValueAtEveryAlignment() {
        for (String prefix : new String[] {"", "u:", "user:", "Bearer "}) {
            String encoded = Base64.getEncoder().encodeToString(
                    (prefix + SECRET + "!").getBytes(StandardCharsets.UTF_8));
            String out = masker.mask(encoded);
            assertTrue(out.contains(Masker.MASK), prefix + " -> " + out);
            // All but at most two value bytes at each edge are gone: the rest cannot be decoded.
            int secretBytes = SECRET.getBytes(StandardCharsets.UTF_8).length;
            int left = out.replace(Masker.MASK, "").length();
            assertTrue(left <= encoded.length() - 4 * (secretBytes - 4) / 3, prefix + " -> " + out);
        }
    }

    @Test
    void masksUrlEncoding() {
        String form = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
        assertMasked(form);
        assertMasked(form.replace("+", "%20"));
        // Lower-case hex: RFC 3986 allows it and some encoders write it.
        assertMasked(java.util.regex.Pattern.compile("%[0-9A-F]{2}").matcher(form.replace("+", "%20"))
                .replaceAll(m -> m.group().toLowerCase(java.util.Locale.ROOT)));
    }

    @Test
    void masksQuotedForms() throws Exception {
        String json = new ObjectMapper().writeValueAsString(SECRET);
        assertMasked(json.substring(1, json.length() - 1));
        assertMasked(SECRET.replace("\"", "\\\""));
        assertMasked(SECRET.replace("'", "'\\''"));
    }

    @Test
    void leavesOtherTextAlone() {
        assertEquals("line 3: API_KEY is set", masker.mask("line 3: API_KEY is set"));
    }

    @Test
    void longerValueIsMaskedWholeWhenItContainsAShorterOne() {
        masker.add("abcdefgh");
        masker.add("xxabcdefghyy");
        assertEquals("[****]", masker.mask("[xxabcdefghyy]"));
        assertFalse(masker.mask("abcdefgh").contains("abc"));
    }

    /** Every character that JSON, XML or a shell escapes, and a line break. */
    static final String MARKUP_SECRET = "K<ey>\"&'\\$%\nsecond-line=x";

    @Test
    void masksEveryFormOfAValueWithMarkupAndShellCharacters() {
        var m = new Masker();
        m.add(MARKUP_SECRET);
        for (String form : new SecretSearch(MARKUP_SECRET).forms()) {
            assertEquals("[" + Masker.MASK + "]", m.mask("[" + form + "]"), "form " + form);
        }
    }

    @Test
    void masksEachLineOfAMultiLineValueOnItsOwn() {
        var m = new Masker();
        m.add("first-line-of-key\nsecond-line-of-key\nab");
        assertEquals("| **** |\n| **** |", m.mask("| first-line-of-key |\n| second-line-of-key |"));
        assertEquals("ab", m.mask("ab"), "too short to mask alone");
    }

    @Test
    void masksWhatTheXmlWriterAndJacksonMakeOfTheValue() throws Exception {
        var m = new Masker();
        m.add(MARKUP_SECRET);
        var out = new java.io.StringWriter();
        var w = Encodings.XML.createXMLStreamWriter(out);
        w.writeStartElement("t");
        w.writeAttribute("message", "why: " + MARKUP_SECRET);
        w.writeCharacters("log: " + MARKUP_SECRET + " end");
        w.writeEndElement();
        w.close();
        assertEquals("<t message=\"why: ****\">log: **** end</t>", m.mask(out.toString()));
        String json = new ObjectMapper().writeValueAsString(java.util.Map.of("line", "log: {\"k\": "
                + new ObjectMapper().writeValueAsString(MARKUP_SECRET) + "}"));
        assertEquals("{\"line\":\"log: {\\\"k\\\": \\\"****\\\"}\"}", m.mask(json));
    }

    @Test
    void registeringALargeFileIsLinear() {
        // Not a timing assertion (bench/ measures): 100k values must register without the old
        // quadratic duplicate check, and each still be masked.
        var m = new Masker();
        for (int i = 0; i < 100_000; i++) {
            m.add("value-" + i + "-abcdefghijklmnop");
        }
        assertEquals("x **** y", m.mask("x value-99999-abcdefghijklmnop y"));
        assertEquals("x value-100000-abcdefghijklmnop y", m.mask("x value-100000-abcdefghijklmnop y"));
    }
}
