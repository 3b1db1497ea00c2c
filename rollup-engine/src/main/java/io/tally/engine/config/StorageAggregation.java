package io.tally.engine.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * carbon's {@code storage-aggregation.conf}: the rollup method and xFilesFactor of a new series. Immutable and
 * thread-safe.
 *
 * <p>Matching is that of {@link StorageSchemas} (file order, {@code re.search}, first match wins, {@code match-all}).
 * Keys are case-insensitive ({@code xFilesFactor}, {@code aggregationMethod}); either may be omitted, and then
 * whisper's default applies for that key ({@code 0.5}, {@code average}) — the section still matches. When no
 * section matches, whisper's defaults apply ({@link #FALLBACK}). A section without {@code pattern} is skipped with a
 * logged warning, as carbon does. Values Tally cannot use are a {@link ConfigException} naming file, line, section and
 * key: a bad regex, an {@code xFilesFactor} that is not a number in [0, 1] (carbon aborts when it is out of range and
 * skips the section when it is not a number), and an unknown {@code aggregationMethod} (carbon skips the section;
 * Tally refuses, since {@code median} or {@code count} silently falling through to the next section is never what
 * was meant). Method names are whisper's: {@code average, sum, last, max, min, avg_zero, absmax, absmin}.
 *
 * <p>{@link #defaults()} is whisper's behaviour without a file: every series {@code average}, {@code 0.5}.
 */
public final class StorageAggregation {
    /** whisper's defaults, used when nothing matches. */
    public static final AggregationPolicy FALLBACK = new AggregationPolicy("fallback", AggregationMethod.AVERAGE, 0.5);

    /** The embedded default configuration (whisper's defaults written out), printable for users. */
    public static final String DEFAULT_CONFIG = """
            # Tally's default storage aggregation (used when no storage-aggregation.conf is configured).
            [default]
            pattern = .*
            xFilesFactor = 0.5
            aggregationMethod = average
            """;

    private static final Set<String> KNOWN_KEYS = Set.of("pattern", "xfilesfactor", "aggregationmethod",
            "match-all", "list");
    private static final Pattern FLOAT = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private record Entry(Pattern pattern, AggregationPolicy policy) {
    }

    private final List<Entry> entries;
    private final List<String> warnings;

    private StorageAggregation(List<Entry> entries, List<String> warnings) {
        this.entries = List.copyOf(entries);
        this.warnings = List.copyOf(warnings);
    }

    /** Parses the text of a storage-aggregation.conf; {@code sourceName} is used in messages. */
    public static StorageAggregation parse(String text, String sourceName) throws ConfigException {
        List<Entry> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (IniFile.Section s : IniFile.parse(text, sourceName)) {
            String name = s.name();
            for (String key : s.entries().keySet()) {
                if (!KNOWN_KEYS.contains(key)) {
                    StorageSchemas.warn(warnings, sourceName + " line " + s.lineOf(key) + " [" + name
                            + "] unknown key '" + key + "' ignored (keys: pattern, xFilesFactor, aggregationMethod)");
                }
            }
            boolean all = StorageSchemas.isTrue(s.get("match-all"));
            String pattern = s.get("pattern");
            if (!all && (pattern == null || pattern.isEmpty())) {
                String list = s.get("list");
                StorageSchemas.warn(warnings, sourceName + " line " + s.line() + " [" + name + "] "
                        + (list != null && !list.isEmpty()
                        ? "uses 'list', which Tally does not support; section skipped"
                        : "has no 'pattern'; section skipped"));
                continue;
            }
            double xff = FALLBACK.xFilesFactor();
            String xffText = s.get("xfilesfactor");
            if (xffText != null) {
                if (!FLOAT.matcher(xffText).matches()) {
                    throw new ConfigException(sourceName, s.lineOf("xfilesfactor"), name, "xFilesFactor",
                            "'" + xffText + "' is not a number (use a fraction between 0 and 1, e.g. 0.5)");
                }
                xff = Double.parseDouble(xffText);
                if (!(xff >= 0 && xff <= 1)) {
                    throw new ConfigException(sourceName, s.lineOf("xfilesfactor"), name, "xFilesFactor",
                            "'" + xffText + "' is outside [0, 1] (use a fraction between 0 and 1, e.g. 0.5)");
                }
            }
            AggregationMethod method = FALLBACK.method();
            String methodText = s.get("aggregationmethod");
            if (methodText != null) {
                method = AggregationMethod.parse(methodText);
                if (method == null) {
                    throw new ConfigException(sourceName, s.lineOf("aggregationmethod"), name, "aggregationMethod",
                            "unknown method '" + methodText
                                    + "' (use average, sum, last, max, min, avg_zero, absmax or absmin)");
                }
            }
            Pattern compiled = all ? StorageSchemas.FALLBACK.pattern()
                    : StorageSchemas.compilePattern(pattern, sourceName, s);
            out.add(new Entry(compiled, new AggregationPolicy(name, method, xff)));
        }
        return new StorageAggregation(out, warnings);
    }

    /** Reads and parses a file; messages name the file as given. */
    public static StorageAggregation load(Path file) throws IOException, ConfigException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** whisper's defaults for every series: {@code average}, xFilesFactor {@code 0.5} ({@link #DEFAULT_CONFIG}). */
    public static StorageAggregation defaults() {
        try {
            return parse(DEFAULT_CONFIG, "embedded storage-aggregation.conf");
        } catch (ConfigException e) {
            throw new IllegalStateException("embedded default storage aggregation is invalid", e);
        }
    }

    /** The first policy whose pattern is found in {@code canonicalName}, else {@link #FALLBACK}. */
    public AggregationPolicy match(String canonicalName) {
        for (Entry e : entries) {
            if (e.pattern().matcher(canonicalName).find()) {
                return e.policy();
            }
        }
        return FALLBACK;
    }

    /** The usable sections' policies in file order (the fallback is not included). */
    public List<AggregationPolicy> policies() {
        return entries.stream().map(Entry::policy).toList();
    }

    /** The pattern of each usable section, parallel to {@link #policies()}. */
    public List<Pattern> patterns() {
        return entries.stream().map(Entry::pattern).toList();
    }

    /** What was logged as skipped or ignored while parsing, for start-up output. */
    public List<String> warnings() {
        return warnings;
    }
}
