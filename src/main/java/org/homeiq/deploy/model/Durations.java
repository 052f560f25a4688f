package org.homeiq.deploy.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them: {@code 30s}, {@code 5m}, {@code 1h}, {@code 250ms}, or bare seconds. */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h)?");
    /**
     * The longest duration accepted anywhere (a week): every wait, timeout and window is far
     * shorter, and the bound keeps every sum and conversion to milliseconds from overflowing.
     */
    public static final Duration MAX = Duration.ofDays(7);

    private Durations() {
    }

    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 30s, 5m, 1h, 250ms)");
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        // More than 12 digits is beyond MAX in any unit; cutting there keeps the arithmetic exact.
        Duration d = m.group(1).length() > 12 ? null : switch (unit) {
            case "ms" -> Duration.ofMillis(Long.parseLong(m.group(1)));
            case "m" -> Duration.ofMinutes(Long.parseLong(m.group(1)));
            case "h" -> Duration.ofHours(Long.parseLong(m.group(1)));
            default -> Duration.ofSeconds(Long.parseLong(m.group(1)));
        };
        if (d == null || d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("'" + text + "' is longer than the longest duration accepted, " + format(MAX));
        }
        return d;
    }

    /** Short human form: {@code 450ms}, {@code 12.3s}, {@code 4m05s}, {@code 1h}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return ms % 1000 == 0 ? (ms / 1000) + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s % 3600 == 0) {
            return (s / 3600) + "h";
        }
        if (s < 3600) {
            return s % 60 == 0 ? (s / 60) + "m" : String.format(java.util.Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(java.util.Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    /** picocli converter, so options accept the same forms as the data files. */
    public static final class Converter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
