package io.tally.engine.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * carbon's {@code storage-schemas.conf}: which archives a new series gets. Immutable and thread-safe.
 *
 * <p>Reading follows carbon (spec §2.1-2.3): sections in file order, the first whose {@code pattern} is found in
 * the canonical name wins ({@code re.search}; Python syntax converted by {@link PythonRegex}); {@code match-all =
 * true} matches every name; when nothing matches, the fallback {@code 60s:7d} ({@code 60:10080}) applies. INI
 * details are those of {@link IniFile}. Like carbon, a section without {@code pattern} (or {@code match-all}) or
 * without {@code retentions} is skipped with a logged warning (see {@link #warnings()}); a section using carbon's
 * {@code list} whitelist condition is skipped too (Tally does not support whitelists). Everything else that carbon
 * would reject or silently skip makes {@link #parse} throw a {@link ConfigException} naming file, line, section and
 * key, so Tally refuses to start with a clear message instead of creating series with unintended archives:
 * an invalid retention token or regex (carbon aborts too), and — unlike carbon, which skips such a section with a
 * log line — an archive list failing whisper's validation.
 *
 * <p>Tally's embedded default ({@link #DEFAULT_CONFIG}, used when no file is given):
 * <pre>
 * [carbon]
 * pattern = ^carbon\.
 * retentions = 60s:90d
 *
 * [default]
 * pattern = .*
 * retentions = 1m:14d,10m:1y,1h:5y
 * </pre>
 * carbon's own self-metrics (and Tally's, reported under the same prefix) keep minute points for 90 days. Everything
 * else starts at one minute rather than ten seconds on purpose: with the default rollup {@code xFilesFactor} of 0.5,
 * a 10-second first archive fed by the very common once-a-minute senders would hold one known slot in six, and every
 * coarser archive would stay empty (the classic Graphite pitfall); 14 days of minutes, a year of 10-minute points
 * and 5 years of hours keep dashboards detailed while staying small.
 */
public final class StorageSchemas {
    private static final Logger LOG = LoggerFactory.getLogger(StorageSchemas.class);

    /** The embedded default configuration, printable as a starting point for users. */
    public static final String DEFAULT_CONFIG = """
            # Tally's default storage schemas (used when no storage-schemas.conf is configured).
            [carbon]
            pattern = ^carbon\\.
            retentions = 60s:90d

            [default]
            pattern = .*
            retentions = 1m:14d,10m:1y,1h:5y
            """;

    /** carbon's schema for names no section matches: 60-second points for 7 days. */
    public static final Schema FALLBACK = new Schema("fallback", Pattern.compile("(?s).*"),
            List.of(new Archive(60, 10080)));

    private static final Set<String> KNOWN_KEYS = Set.of("pattern", "retentions", "match-all", "list");
    private static final Pattern UNIT_FORM = Pattern.compile("([0-9]+)([A-Za-z]+)");

    private final List<Schema> schemas;
    private final List<String> warnings;

    private StorageSchemas(List<Schema> schemas, List<String> warnings) {
        this.schemas = List.copyOf(schemas);
        this.warnings = List.copyOf(warnings);
    }

    /** Parses the text of a storage-schemas.conf; {@code sourceName} is used in messages. */
    public static StorageSchemas parse(String text, String sourceName) throws ConfigException {
        List<Schema> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (IniFile.Section s : IniFile.parse(text, sourceName)) {
            String name = s.name();
            String matchAll = s.get("match-all");
            String pattern = s.get("pattern");
            String list = s.get("list");
            String retentions = s.get("retentions");
            for (String key : s.entries().keySet()) {
                if (!KNOWN_KEYS.contains(key)) {
                    warn(warnings, sourceName + " line " + s.lineOf(key) + " [" + name + "] unknown key '" + key
                            + "' ignored (keys: pattern, retentions, match-all)");
                }
            }
            boolean all = isTrue(matchAll);
            boolean hasPattern = pattern != null && !pattern.isEmpty();
            if (!all && !hasPattern) {
                warn(warnings, sourceName + " line " + s.line() + " [" + name + "] "
                        + (list != null && !list.isEmpty()
                        ? "uses 'list', which Tally does not support; section skipped"
                        : "has no 'pattern'; section skipped"));
                continue;
            }
            if (retentions == null) {
                warn(warnings, sourceName + " line " + s.line() + " [" + name + "] has no 'retentions'; "
                        + "section skipped");
                continue;
            }
            List<Archive> archives;
            try {
                archives = parseRetentions(retentions);
                validate(archives);
            } catch (ConfigException e) {
                throw e.at(sourceName, s.lineOf("retentions"), name, "retentions");
            }
            Pattern compiled = all ? FALLBACK.pattern() : compilePattern(pattern, sourceName, s);
            out.add(new Schema(name, compiled, sorted(archives)));
        }
        return new StorageSchemas(out, warnings);
    }

    /** Reads and parses a file; messages name the file as given. */
    public static StorageSchemas load(Path file) throws IOException, ConfigException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Tally's embedded default, {@link #DEFAULT_CONFIG}. */
    public static StorageSchemas defaults() {
        try {
            return parse(DEFAULT_CONFIG, "embedded storage-schemas.conf");
        } catch (ConfigException e) {
            throw new IllegalStateException("embedded default storage schemas are invalid", e);
        }
    }

    /** The first schema whose pattern is found in {@code canonicalName}, else {@link #FALLBACK}. */
    public Schema match(String canonicalName) {
        for (Schema s : schemas) {
            if (s.matches(canonicalName)) {
                return s;
            }
        }
        return FALLBACK;
    }

    /** The usable sections in file order (skipped sections are absent; the fallback is not included). */
    public List<Schema> schemas() {
        return schemas;
    }

    /** What was logged as skipped or ignored while parsing, for start-up output. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Parses carbon's retention list (spec §2.2): {@code precision:duration[,precision:duration...]}, where precision
     * is seconds or {@code <int><unit>} and duration is a number of points or {@code <int><unit>} (a span, converted
     * to {@code span / precision} points, truncated). Units are exactly {@code s m h d w y} (y = 365 days). Tokens
     * are trimmed. Archives are returned in the order written; this does not check whisper's rules
     * ({@link #validate}).
     */
    public static List<Archive> parseRetentions(String text) throws ConfigException {
        List<Archive> out = new ArrayList<>();
        for (String raw : text.split(",", -1)) {
            String token = raw.strip();
            if (token.isEmpty()) {
                throw new ConfigException("'" + text.strip() + "' has an empty retention (write precision:duration,"
                        + " e.g. 60s:1d, separated by commas)");
            }
            int colon = token.indexOf(':');
            if (colon < 0) {
                throw new ConfigException("'" + token + "' is not precision:duration (e.g. 60s:1d or 60:1440)");
            }
            String precisionText = token.substring(0, colon).strip();
            String durationText = token.substring(colon + 1).strip();
            long precision = seconds(token, precisionText, "precision");
            if (precision < 1) {
                throw new ConfigException("'" + token + "' precision must be at least 1 second");
            }
            if (precision > Integer.MAX_VALUE) {
                throw new ConfigException("'" + token + "' precision is too large");
            }
            long points;
            if (isDigits(durationText)) {
                points = number(token, durationText);
            } else {
                points = seconds(token, durationText, "duration") / precision;
                if (points < 1) {
                    throw new ConfigException("'" + token + "' keeps no point: the duration is shorter than the"
                            + " precision");
                }
            }
            if (points < 1) {
                throw new ConfigException("'" + token + "' must keep at least 1 point");
            }
            if (points > Integer.MAX_VALUE) {
                throw new ConfigException("'" + token + "' keeps too many points (at most " + Integer.MAX_VALUE
                        + ")");
            }
            out.add(new Archive((int) precision, (int) points));
        }
        return out;
    }

    /**
     * whisper's archive list rules (spec §2.3), checked on the archives sorted by precision: at least one archive;
     * no two with the same precision; each precision divides the next coarser one; each coarser archive covers
     * strictly more time; each archive has at least as many points as one point of the next archive consolidates.
     */
    public static void validate(List<Archive> archives) throws ConfigException {
        if (archives.isEmpty()) {
            throw new ConfigException("no archive: at least one precision:duration is required");
        }
        List<Archive> a = sorted(archives);
        for (int i = 0; i + 1 < a.size(); i++) {
            Archive fine = a.get(i);
            Archive coarse = a.get(i + 1);
            String fp = Archive.duration(fine.secondsPerPoint());
            String cp = Archive.duration(coarse.secondsPerPoint());
            if (fine.secondsPerPoint() == coarse.secondsPerPoint()) {
                throw new ConfigException("archives " + fine + " and " + coarse + " have the same precision " + fp
                        + " (each archive needs its own precision)");
            }
            if (coarse.secondsPerPoint() % fine.secondsPerPoint() != 0) {
                throw new ConfigException("precision " + fp + " of " + fine + " does not divide precision " + cp
                        + " of " + coarse + " (each coarser precision must be a multiple of the finer one)");
            }
            if (coarse.retentionSeconds() <= fine.retentionSeconds()) {
                throw new ConfigException("archive " + coarse + " covers " + coarse.retentionSeconds()
                        + " s, not more than the " + fine.retentionSeconds() + " s of " + fine
                        + " (each coarser archive must cover strictly more time)");
            }
            long needed = coarse.secondsPerPoint() / fine.secondsPerPoint();
            if (fine.points() < needed) {
                throw new ConfigException("archive " + fine + " keeps " + fine.points() + " points, fewer than the "
                        + needed + " that make up one " + cp + " point of " + coarse
                        + " (keep at least " + needed + " points)");
            }
        }
    }

    private static List<Archive> sorted(List<Archive> archives) {
        List<Archive> a = new ArrayList<>(archives);
        a.sort(Comparator.comparingInt(Archive::secondsPerPoint));
        return a;
    }

    private static long seconds(String token, String text, String what) throws ConfigException {
        if (isDigits(text)) {
            return number(token, text);
        }
        var m = UNIT_FORM.matcher(text);
        if (!m.matches()) {
            throw new ConfigException("'" + token + "' " + what + " '" + text + "' is not a number or <number><unit>"
                    + " (e.g. 60, 60s, 1m, 7d)");
        }
        long multiplier = switch (m.group(2)) {
            case "s" -> 1;
            case "m" -> 60;
            case "h" -> 3600;
            case "d" -> 86400;
            case "w" -> 7 * 86400;
            case "y" -> 365 * 86400;
            default -> throw new ConfigException("'" + token + "' unknown unit '" + m.group(2)
                    + "' (use s, m, h, d, w or y)");
        };
        long n = number(token, m.group(1));
        if (n > Long.MAX_VALUE / multiplier) {
            throw new ConfigException("'" + token + "' number too large");
        }
        return n * multiplier;
    }

    private static long number(String token, String digits) throws ConfigException {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new ConfigException("'" + token + "' number too large");
        }
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    static boolean isTrue(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "false", "no", "off", "0" -> false;
            default -> true;
        };
    }

    static Pattern compilePattern(String pattern, String sourceName, IniFile.Section s) throws ConfigException {
        try {
            return PythonRegex.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(sourceName, s.lineOf("pattern"), s.name(), "pattern",
                    "invalid regular expression '" + pattern + "': " + e.getDescription());
        }
    }

    static void warn(List<String> warnings, String message) {
        LOG.warn(message);
        warnings.add(message);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Schema s : schemas) {
            sb.append(s).append('\n');
        }
        return sb.append(FALLBACK).toString();
    }
}
