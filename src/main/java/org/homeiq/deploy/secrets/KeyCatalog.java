package org.homeiq.deploy.secrets;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.homeiq.deploy.BadInputException;

/**
 * Which {@code .env} keys HomeIQ reads, which of them are secrets, which are required, and the
 * Jenkins credential each secret is bound from. Bundled as {@code resources/homeiq/dotenv.yaml}.
 */
public final class KeyCatalog {
    public static final String BUNDLED = "homeiq/dotenv.yaml";

    /** One key of the catalog. */
    public record Key(String key, List<String> aliases, boolean secret, boolean required,
            String credentialId, String description) {
        /** Every name this key goes by, the main one first. */
        public List<String> names() {
            var names = new ArrayList<String>();
            names.add(key);
            names.addAll(aliases);
            return names;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private record FileSpec(
            @JsonProperty(value = "credentialIdPrefix", required = true) String credentialIdPrefix,
            @JsonProperty(value = "keys", required = true) List<KeySpec> keys) {
    }

    private record KeySpec(
            @JsonProperty(value = "key", required = true) String key,
            @JsonProperty("aliases") List<String> aliases,
            @JsonProperty(value = "secret", required = true) boolean secret,
            @JsonProperty(value = "required", required = true) boolean required,
            @JsonProperty("credentialId") String credentialId,
            @JsonProperty("description") String description) {
    }

    private final String prefix;
    private final Map<String, Key> byName;
    private final List<Key> keys;

    private KeyCatalog(String prefix, List<Key> keys) {
        this.prefix = prefix;
        this.keys = List.copyOf(keys);
        var map = new LinkedHashMap<String, Key>();
        for (Key k : keys) {
            for (String name : k.names()) {
                map.put(name, k);
            }
        }
        this.byName = map;
    }

    public static KeyCatalog bundled() {
        try (InputStream in = KeyCatalog.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException(BUNDLED + " is missing from the engine jar");
            }
            return read("resources/" + BUNDLED, in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read bundled " + BUNDLED, e);
        }
    }

    public static KeyCatalog load(Path file) {
        try {
            return read(file.toString(), Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read (" + e.getClass().getSimpleName() + ")");
        }
    }

    static KeyCatalog read(String source, byte[] yaml) {
        FileSpec spec;
        try {
            spec = MAPPER.readValue(yaml, FileSpec.class);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new BadInputException(source + (loc == null ? "" : ":" + loc.getLineNr()) + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInputException(source + ": " + e.getMessage());
        }
        var keys = new ArrayList<Key>();
        var seen = new java.util.HashSet<String>();
        for (KeySpec k : spec.keys()) {
            List<String> aliases = k.aliases() == null ? List.of() : List.copyOf(k.aliases());
            var key = new Key(k.key(), aliases, k.secret(), k.required(),
                    k.credentialId() == null ? spec.credentialIdPrefix() + kebab(k.key()) : k.credentialId(),
                    k.description() == null ? "" : k.description());
            for (String name : key.names()) {
                if (!Dotenv.isValidName(name)) {
                    throw new BadInputException(source + ": '" + name + "' is not a valid variable name");
                }
                if (!seen.add(name)) {
                    throw new BadInputException(source + ": key " + name + " is listed twice");
                }
            }
            keys.add(key);
        }
        return new KeyCatalog(spec.credentialIdPrefix(), keys);
    }

    /** {@code OPENAI_API_KEY} → {@code openai-api-key}. */
    static String kebab(String key) {
        return key.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public List<Key> keys() {
        return keys;
    }

    /** The catalog entry for a name or alias. */
    public Optional<Key> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * Booleans, small numbers, one to three characters: a key outside the catalog with such a
     * value is a setting.
     */
    private static final java.util.regex.Pattern TRIVIAL = java.util.regex.Pattern.compile(
            "(?i)true|false|yes|no|on|off|[0-9]{1,6}|.{1,3}");

    /**
     * Registers the entry's value with the masker. Secrets always; keys the catalog calls plain
     * settings never; other keys unless the value is trivial (masking {@code 1}, {@code x} or
     * {@code true} would blank out line numbers and words in the log, and hide no secret).
     */
    public void register(Dotenv.Entry entry, Masker masker) {
        if (isSecret(entry.key())
                || find(entry.key()).isEmpty() && !TRIVIAL.matcher(entry.value()).matches()) {
            masker.add(entry.value());
        }
    }

    /** Whether a template key is bound from a credential: the catalog calls it secret. */
    public boolean isSecret(String name) {
        return find(name).map(Key::secret).orElse(false);
    }

    /** The credential id for a name: the catalog's, else the convention. */
    public String credentialId(String name) {
        return find(name).map(Key::credentialId).orElse(prefix + kebab(name));
    }

    /** Required keys none of whose names has a non-empty value in {@code env}. */
    public List<Key> missingRequired(Dotenv env) {
        var missing = new ArrayList<Key>();
        for (Key k : keys) {
            if (k.required() && k.names().stream()
                    .noneMatch(n -> env.get(n).map(e -> !e.value().isEmpty()).orElse(false))) {
                missing.add(k);
            }
        }
        return missing;
    }
}
