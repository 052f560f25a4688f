package org.homeiq.deploy.secrets;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.homeiq.deploy.BadInputException;

/**
 * Renders the {@code .env} compose reads from a committed template and the secrets the pipeline
 * bound into environment variables ({@code HOMEIQ_SECRET_<KEY>}): values never pass through argv.
 */
public final class DotenvRender {
    /** Prefix of the environment variables that carry secret values into {@code dotenv render}. */
    public static final String ENV_PREFIX = "HOMEIQ_SECRET_";

    /** Values written without quotes: both Compose versions read these the same way. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:@+=,%~^!?*&()\\[\\]{}<>|;-]*");

    private DotenvRender() {
    }

    /**
     * The rendered entries: every template key, its value from {@code HOMEIQ_SECRET_<KEY>} when
     * that variable is set, else the template's. Every value is handed to {@code masker} first.
     * Problems throw before anything is written, naming keys and lines, never values.
     */
    public static Dotenv render(Dotenv template, Map<String, String> environment, KeyCatalog catalog,
            Masker masker) {
        var rendered = new ArrayList<Dotenv.Entry>();
        var errors = new ArrayList<String>();
        for (Dotenv.Entry e : template.entries()) {
            String bound = environment.get(ENV_PREFIX + e.key());
            String value = bound != null ? bound : e.value();
            if (bound != null) {
                // Came in as a credential: a secret whatever the catalog says about the key.
                masker.add(bound);
            } else {
                catalog.register(e, masker);
            }
            if (catalog.isSecret(e.key()) && bound == null && e.value().isEmpty()) {
                errors.add(template.source() + ":" + e.line() + ": " + e.key() + " is a secret and "
                        + ENV_PREFIX + e.key() + " is not set");
            }
            if (!writable(value)) {
                errors.add(template.source() + ":" + e.line() + ": the value of " + e.key()
                        + " contains a line break, '${', or a single quote together with \" $ \\ or `;"
                        + " compose cannot read such a value back unchanged");
            }
            rendered.add(new Dotenv.Entry(e.key(), value, e.line()));
        }
        if (!errors.isEmpty()) {
            throw new BadInputException(String.join(System.lineSeparator(), errors));
        }
        return Dotenv.of(template.source(), rendered);
    }

    static boolean writable(String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            return false;
        }
        if (value.contains("${")) {
            // docker-compose 1.29 (python-dotenv) expands ${VAR} even inside single quotes.
            return false;
        }
        return PLAIN.matcher(value).matches() || value.indexOf('\'') < 0 || value.indexOf('"') < 0
                && value.indexOf('$') < 0 && value.indexOf('\\') < 0 && value.indexOf('`') < 0;
    }

    /** The file text: unquoted when plain, else single-quoted (literal in both Compose versions). */
    public static byte[] format(Dotenv env, String header) {
        var out = new StringBuilder();
        for (String line : header.split("\n")) {
            out.append("# ").append(line).append('\n');
        }
        for (Dotenv.Entry e : env.entries()) {
            out.append(e.key()).append('=').append(quote(e.value())).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String quote(String value) {
        if (PLAIN.matcher(value).matches() && !value.startsWith("#")) {
            return value;
        }
        if (value.indexOf('\'') < 0) {
            return "'" + value + "'";
        }
        // Has a single quote but none of " $ \ `: double quotes read it literally in both versions.
        return "\"" + value + "\"";
    }

    /** Keys of the template bound from credentials, for the pipeline step: name and credential id. */
    public static List<String[]> credentialBindings(Dotenv template, KeyCatalog catalog) {
        var out = new ArrayList<String[]>();
        for (Dotenv.Entry e : template.entries()) {
            if (catalog.isSecret(e.key())) {
                out.add(new String[] {e.key(), catalog.credentialId(e.key())});
            }
        }
        return out;
    }
}
