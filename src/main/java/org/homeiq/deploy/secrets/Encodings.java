package org.homeiq.deploy.secrets;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The forms a secret value takes on its way out of a program: base64 (as in an HTTP header or a
 * Kubernetes secret), URL-encoded (as in a query string or a connection URL), and escaped inside
 * quotes (as in JSON, a shell command, a compose file). The masker hides every one of them.
 */
final class Encodings {
    /**
     * Shortest base64 fragment masked when the value is encoded together with other text; shorter
     * fragments would hide unrelated base64 by accident.
     */
    static final int MIN_FRAGMENT = 8;

    private Encodings() {
    }

    /** The value itself and every encoding of it that differs from it. */
    static Set<String> of(String value) {
        var forms = new LinkedHashSet<String>();
        forms.add(value);
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        base64(bytes, forms);
        // `echo "$TOKEN" | base64` encodes the trailing newline too.
        base64((value + "\n").getBytes(StandardCharsets.UTF_8), forms);
        base64Fragments(bytes, forms);

        String form = URLEncoder.encode(value, StandardCharsets.UTF_8);
        forms.add(form);
        String percent = form.replace("+", "%20");
        forms.add(percent);
        forms.add(lowerHex(percent));

        forms.add(new String(JsonStringEncoder.getInstance().quoteAsString(value)));
        forms.add(value.replace("\\", "\\\\").replace("\"", "\\\""));
        forms.add(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`"));
        forms.add(value.replace("'", "'\\''"));
        forms.add(value.replace("'", "'\"'\"'"));
        forms.remove("");
        return forms;
    }

    private static void base64(byte[] bytes, Set<String> forms) {
        for (Base64.Encoder encoder : new Base64.Encoder[] {Base64.getEncoder(), Base64.getUrlEncoder()}) {
            String padded = encoder.encodeToString(bytes);
            forms.add(padded);
            forms.add(padded.replace("=", ""));
        }
    }

    /**
     * When the value is encoded inside a longer text ({@code user:TOKEN}, {@code Bearer TOKEN}),
     * only the base64 groups made of value bytes alone are predictable; which groups those are
     * depends on where the value starts modulo 3. Mask that middle part for all three offsets.
     */
    private static void base64Fragments(byte[] bytes, Set<String> forms) {
        for (int offset = 0; offset < 3; offset++) {
            int skip = (3 - offset) % 3;
            int usable = (bytes.length - skip) / 3 * 3;
            if (usable <= 0) {
                continue;
            }
            byte[] middle = Arrays.copyOfRange(bytes, skip, skip + usable);
            for (Base64.Encoder encoder : new Base64.Encoder[] {Base64.getEncoder(), Base64.getUrlEncoder()}) {
                String fragment = encoder.encodeToString(middle);
                if (fragment.length() >= MIN_FRAGMENT) {
                    forms.add(fragment);
                }
            }
        }
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
