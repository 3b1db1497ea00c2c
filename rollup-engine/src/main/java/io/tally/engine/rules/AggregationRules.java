package io.tally.engine.rules;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tally.engine.config.ConfigException;
import io.tally.engine.config.PythonRegex;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * carbon-aggregator's {@code aggregation-rules.conf} (spec §2.9). Immutable apart from its match cache; thread-safe.
 *
 * <p>File: lines are trimmed; blank lines and lines starting with {@code #} are ignored; every other line is
 * {@code output_template (frequency) = method input_pattern}: split at the first {@code =}, the left side must be
 * exactly two whitespace-separated words (template, frequency with optional parentheses), the right side exactly
 * two (method, input pattern). Anything else — including an unknown method, a frequency that is not a positive
 * integer, an input pattern that does not compile, or an output field the input does not capture — is a
 * {@link ConfigException} naming the line, and the whole file is refused (carbon raises too).
 *
 * <p>The input pattern becomes a regex exactly as carbon builds it ({@link #inputRegex}): split on {@code .}; in
 * each node, {@code <<name>>} (first {@code <<} to first {@code >>}) becomes the capture {@code (?P<name>.+?)},
 * which may span dots; otherwise {@code <name>} (first {@code <} to first {@code >}) becomes
 * {@code (?P<name>[^.]+?)}; text before and after a capture is kept verbatim; a node that is exactly {@code *}
 * becomes {@code [^.]+}; any other node has each {@code *} replaced by {@code [^.]*} and is otherwise a regex
 * fragment used verbatim (so {@code \d{2}} works); nodes are joined with {@code \.}, {@code $} is appended and the
 * regex is matched at the start of the name ({@code re.match}). The output template has each {@code <name>}
 * replaced by the captured text.
 *
 * <p>Every rule is tried on every metric; a metric may feed several aggregates, and feeds an aggregate once per
 * rule that produces it (as in carbon). {@link #match} results are cached per metric name in a bounded Caffeine
 * cache (carbon's {@code CACHE_METRIC_NAMES_MAX}), so the regexes run once per distinct name.
 *
 * <p>Methods: carbon's {@code sum avg min max count p50 p75 p80 p90 p95 p99 p999}, plus Tally's {@code last} (the
 * value received last).
 */
public final class AggregationRules {
    /** Default bound of the per-name match cache. */
    public static final long DEFAULT_CACHE_SIZE = 100_000;

    /** An aggregation method of the aggregator (not whisper's rollup methods). */
    public enum Method {
        SUM("sum", Double.NaN), AVG("avg", Double.NaN), MIN("min", Double.NaN), MAX("max", Double.NaN),
        COUNT("count", Double.NaN), LAST("last", Double.NaN),
        P50("p50", 0.50), P75("p75", 0.75), P80("p80", 0.80), P90("p90", 0.90), P95("p95", 0.95),
        P99("p99", 0.99), P999("p999", 0.999);

        /** The name used in rule files. */
        public final String configName;
        /** For percentiles the quantile in (0, 1); NaN otherwise. */
        public final double quantile;

        Method(String configName, double quantile) {
            this.configName = configName;
            this.quantile = quantile;
        }

        public boolean isPercentile() {
            return !Double.isNaN(quantile);
        }

        /** The method named {@code name} (exact, lower case, as carbon), or null. */
        public static Method parse(String name) {
            for (Method m : values()) {
                if (m.configName.equals(name)) {
                    return m;
                }
            }
            return null;
        }
    }

    /** One rule line, compiled. */
    public static final class Rule {
        private final int line;
        private final String outputTemplate;
        private final int frequency;
        private final Method method;
        private final String inputPattern;
        private final Pattern regex;
        /** Template parts: String literals, and Java group names wrapped in {@link GroupRef}. */
        private final Object[] output;

        private Rule(int line, String outputTemplate, int frequency, Method method, String inputPattern,
                     Pattern regex, Object[] output) {
            this.line = line;
            this.outputTemplate = outputTemplate;
            this.frequency = frequency;
            this.method = method;
            this.inputPattern = inputPattern;
            this.regex = regex;
            this.output = output;
        }

        public int line() {
            return line;
        }

        public String outputTemplate() {
            return outputTemplate;
        }

        /** Seconds per aggregated point. */
        public int frequency() {
            return frequency;
        }

        public Method method() {
            return method;
        }

        public String inputPattern() {
            return inputPattern;
        }

        /** The compiled input regex (Java syntax). */
        public Pattern regex() {
            return regex;
        }

        /** The aggregate {@code metric} feeds under this rule, or null when it does not match. */
        public String outputFor(String metric) {
            Matcher m = regex.matcher(metric);
            if (!m.lookingAt()) {
                return null;
            }
            StringBuilder sb = new StringBuilder(outputTemplate.length() + 16);
            for (Object part : output) {
                if (part instanceof GroupRef g) {
                    sb.append(m.group(g.javaName()));
                } else {
                    sb.append((String) part);
                }
            }
            return sb.toString();
        }

        @Override
        public String toString() {
            return outputTemplate + " (" + frequency + ") = " + method.configName + " " + inputPattern;
        }
    }

    /** {@code metric} feeds aggregate {@code output} under {@code rule}. */
    public record Match(Rule rule, String output) {
    }

    private record GroupRef(String javaName) {
    }

    private static final AggregationRules EMPTY = new AggregationRules(List.of(), 1);

    private final List<Rule> rules;
    private final Cache<String, List<Match>> cache;
    private final Function<String, List<Match>> compute = this::computeMatches;

    private AggregationRules(List<Rule> rules, long cacheMaxSize) {
        this.rules = List.copyOf(rules);
        this.cache = Caffeine.newBuilder().maximumSize(cacheMaxSize).executor(Runnable::run).build();
    }

    /** No rules: nothing is aggregated. */
    public static AggregationRules empty() {
        return EMPTY;
    }

    public static AggregationRules parse(String text, String sourceName) throws ConfigException {
        return parse(text, sourceName, DEFAULT_CACHE_SIZE);
    }

    /** As {@link #parse(String, String)} with a match cache of at most {@code cacheMaxSize} names. */
    public static AggregationRules parse(String text, String sourceName, long cacheMaxSize) throws ConfigException {
        if (cacheMaxSize < 0) {
            throw new IllegalArgumentException("cacheMaxSize must not be negative");
        }
        List<Rule> rules = new ArrayList<>();
        String[] rows = text.split("\r\n|\r|\n", -1);
        for (int idx = 0; idx < rows.length; idx++) {
            String line = rows[idx].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            rules.add(parseRule(line, idx + 1, sourceName));
        }
        return new AggregationRules(rules, cacheMaxSize);
    }

    public static AggregationRules load(Path file) throws IOException, ConfigException {
        return load(file, DEFAULT_CACHE_SIZE);
    }

    public static AggregationRules load(Path file, long cacheMaxSize) throws IOException, ConfigException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), cacheMaxSize);
    }

    private static Rule parseRule(String line, int lineNo, String source) throws ConfigException {
        int eq = line.indexOf('=');
        String[] left = eq < 0 ? new String[0] : words(line.substring(0, eq));
        String[] right = eq < 0 ? new String[0] : words(line.substring(eq + 1));
        if (left.length != 2 || right.length != 2) {
            throw new ConfigException(source, lineNo, null, null, "'" + line
                    + "' is not a rule (write: output_template (frequency) = method input_pattern)");
        }
        String template = left[0];
        String freqText = stripParens(left[1]);
        int frequency;
        try {
            frequency = Integer.parseInt(freqText);
        } catch (NumberFormatException e) {
            frequency = 0;
        }
        if (frequency < 1) {
            throw new ConfigException(source, lineNo, null, null, "frequency '" + left[1]
                    + "' is not a positive number of seconds (write e.g. (60))");
        }
        Method method = Method.parse(right[0]);
        if (method == null) {
            StringBuilder names = new StringBuilder();
            for (Method m : Method.values()) {
                names.append(names.isEmpty() ? "" : ", ").append(m.configName);
            }
            throw new ConfigException(source, lineNo, null, null, "unknown method '" + right[0] + "' (use "
                    + names + ")");
        }
        String input = right[1];
        String pythonRegex = inputRegex(input);
        PythonRegex.Translation t;
        Pattern regex;
        try {
            t = PythonRegex.translate(pythonRegex);
            regex = t.compile();
        } catch (PatternSyntaxException e) {
            throw new ConfigException(source, lineNo, null, null, "input pattern '" + input
                    + "' gives the invalid regular expression '" + pythonRegex + "': " + e.getDescription());
        }
        Object[] output = parseTemplate(template, t.groupNames(), lineNo, source);
        return new Rule(lineNo, template, frequency, method, input, regex, output);
    }

    private static String[] words(String s) {
        String t = s.strip();
        return t.isEmpty() ? new String[0] : t.split("\\s+");
    }

    /** Python's {@code lstrip('(').rstrip(')')}. */
    private static String stripParens(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '(') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == ')') {
            to--;
        }
        return s.substring(from, to);
    }

    /**
     * The Python regex carbon builds from an input pattern (see the class comment), before conversion to Java
     * syntax. Example: {@code <env>.app.*.<<rest>>} → {@code (?P<env>[^.]+?)\.app\.[^.]+\.(?P<rest>.+?)$}.
     */
    public static String inputRegex(String inputPattern) {
        StringBuilder sb = new StringBuilder(inputPattern.length() * 2);
        String[] parts = inputPattern.split("\\.", -1);
        for (int k = 0; k < parts.length; k++) {
            String part = parts[k];
            if (k > 0) {
                sb.append("\\.");
            }
            int dl = part.indexOf("<<");
            int dr = part.indexOf(">>");
            if (dl >= 0 && dr >= 0) {
                sb.append(part, 0, dl).append("(?P<").append(pySlice(part, dl + 2, dr)).append(">.+?)")
                        .append(part.substring(dr + 2));
                continue;
            }
            int i = part.indexOf('<');
            int j = part.indexOf('>');
            if (i > -1 && j > i) {
                sb.append(part, 0, i).append("(?P<").append(part, i + 1, j).append(">[^.]+?)")
                        .append(part.substring(j + 1));
            } else if (part.equals("*")) {
                sb.append("[^.]+");
            } else {
                sb.append(part.replace("*", "[^.]*"));
            }
        }
        return sb.append('$').toString();
    }

    /** Python's {@code s[from:to]}: empty when {@code to < from}. */
    private static String pySlice(String s, int from, int to) {
        return to <= from ? "" : s.substring(from, to);
    }

    private static Object[] parseTemplate(String template, Map<String, String> groups, int lineNo, String source)
            throws ConfigException {
        List<Object> parts = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int lt = template.indexOf('<', i);
            int gtStray = template.indexOf('>', i);
            if (gtStray >= 0 && (lt < 0 || gtStray < lt)) {
                throw new ConfigException(source, lineNo, null, null, "output template '" + template
                        + "' has a '>' without '<'");
            }
            if (lt < 0) {
                parts.add(template.substring(i));
                break;
            }
            int gt = template.indexOf('>', lt + 1);
            if (gt < 0) {
                throw new ConfigException(source, lineNo, null, null, "output template '" + template
                        + "' has a '<' without '>'");
            }
            if (lt > i) {
                parts.add(template.substring(i, lt));
            }
            String field = template.substring(lt + 1, gt);
            String javaName = groups.get(field);
            if (javaName == null) {
                throw new ConfigException(source, lineNo, null, null, "output template '" + template + "' uses <"
                        + field + ">, which the input pattern does not capture"
                        + (groups.isEmpty() ? "" : " (it captures " + String.join(", ", groups.keySet()) + ")"));
            }
            parts.add(new GroupRef(javaName));
            i = gt + 1;
        }
        return parts.toArray();
    }

    /**
     * The aggregates {@code metric} feeds, one entry per matching rule in file order (empty when none). The
     * returned list is shared and immutable; after the first call for a name it comes from the cache.
     */
    public List<Match> match(String metric) {
        if (rules.isEmpty()) {
            return List.of();
        }
        return cache.get(metric, compute);
    }

    private List<Match> computeMatches(String metric) {
        List<Match> out = null;
        for (Rule r : rules) {
            String output = r.outputFor(metric);
            if (output != null) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(new Match(r, output));
            }
        }
        return out == null ? List.of() : List.copyOf(out);
    }

    public List<Rule> rules() {
        return rules;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Approximate number of names in the match cache. */
    public long cachedNames() {
        return cache.estimatedSize();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Rule r : rules) {
            sb.append(r).append('\n');
        }
        return sb.isEmpty() ? "(no aggregation rules)" : sb.toString();
    }
}
