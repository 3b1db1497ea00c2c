package io.tally.engine.rules;

import io.tally.engine.config.ConfigException;
import io.tally.engine.config.PythonRegex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * carbon's {@code rewrite-rules.conf} (spec §2.10). Immutable and thread-safe.
 *
 * <p>File: lines are trimmed; blank lines and lines starting with {@code #} are ignored; {@code [pre]} and
 * {@code [post]} (any case) start a section; every other line is {@code regex = replacement}, split at the first
 * {@code =}, both sides trimmed. A line without {@code =} is a {@link ConfigException} naming the line (carbon fails
 * reading the file). A rule whose regex (Python syntax, see {@link PythonRegex}) or replacement does not compile is
 * skipped with a logged warning, as carbon skips bad regexes (carbon would only fail on a bad replacement when a
 * name first matched). Rules outside {@code [pre]}/{@code [post]} are ignored with a warning, as carbon never
 * applies them.
 *
 * <p>Applying: the rules of a section run in file order, each on the previous one's output, each replacing all
 * non-overlapping matches like Python's {@code re.sub}: replacement templates understand {@code \1}..{@code \99},
 * {@code \g<1>}, {@code \g<name>} (an unmatched group gives the empty string), {@code \n \t \r \f \v \a \b \\} and
 * octal {@code \0oo}; other escapes of non-letters are kept as written.
 *
 * <p>Per call {@link #rewrite} allocates nothing when no rule matches (matchers are reused per thread); the regex
 * work itself is the price of rewrite rules, as in carbon.
 */
public final class RewriteRules {
    private static final Logger LOG = LoggerFactory.getLogger(RewriteRules.class);
    private static final RewriteRules EMPTY = new RewriteRules(new EnumMap<>(Section.class), List.of());

    /** The two places carbon applies rules: before aggregation ({@code PRE}) and after it ({@code POST}). */
    public enum Section {
        PRE, POST
    }

    /** One compiled rule. */
    public static final class Rule {
        private final Section section;
        private final int line;
        private final String pattern;
        private final String replacement;
        private final Pattern regex;
        /** Replacement parts: a String literal or an Integer group number. */
        private final Object[] parts;

        private Rule(Section section, int line, String pattern, String replacement, Pattern regex, Object[] parts) {
            this.section = section;
            this.line = line;
            this.pattern = pattern;
            this.replacement = replacement;
            this.regex = regex;
            this.parts = parts;
        }

        public Section section() {
            return section;
        }

        public int line() {
            return line;
        }

        /** The regex as written (Python syntax). */
        public String pattern() {
            return pattern;
        }

        /** The replacement template as written. */
        public String replacement() {
            return replacement;
        }

        /** {@code re.sub(pattern, replacement, name)}. */
        public String apply(String name) {
            return apply(regex.matcher(name), name);
        }

        private String apply(Matcher m, String name) {
            if (!m.find()) {
                return name;
            }
            StringBuilder sb = new StringBuilder(name.length() + 16);
            int last = 0;
            do {
                sb.append(name, last, m.start());
                for (Object part : parts) {
                    if (part instanceof String s) {
                        sb.append(s);
                    } else {
                        String g = m.group((Integer) part);
                        if (g != null) {
                            sb.append(g);
                        }
                    }
                }
                last = m.end();
            } while (m.find());
            return sb.append(name, last, name.length()).toString();
        }

        @Override
        public String toString() {
            return "[" + section.name().toLowerCase(Locale.ROOT) + "] " + pattern + " = " + replacement;
        }
    }

    private final Map<Section, Rule[]> rules;
    private final List<String> warnings;
    private final ThreadLocal<Map<Section, Matcher[]>> matchers;

    private RewriteRules(Map<Section, List<Rule>> bySection, List<String> warnings) {
        this.rules = new EnumMap<>(Section.class);
        for (Section s : Section.values()) {
            rules.put(s, bySection.getOrDefault(s, List.of()).toArray(new Rule[0]));
        }
        this.warnings = List.copyOf(warnings);
        this.matchers = ThreadLocal.withInitial(() -> {
            Map<Section, Matcher[]> m = new EnumMap<>(Section.class);
            for (Section s : Section.values()) {
                Rule[] r = rules.get(s);
                Matcher[] ms = new Matcher[r.length];
                for (int i = 0; i < r.length; i++) {
                    ms[i] = r[i].regex.matcher("");
                }
                m.put(s, ms);
            }
            return m;
        });
    }

    /** No rules at all: {@link #rewrite} returns its argument. */
    public static RewriteRules empty() {
        return EMPTY;
    }

    public static RewriteRules parse(String text, String sourceName) throws ConfigException {
        Map<Section, List<Rule>> bySection = new EnumMap<>(Section.class);
        List<String> warnings = new ArrayList<>();
        String sectionName = null;
        Section section = null;
        String[] rows = text.split("\r\n|\r|\n", -1);
        for (int idx = 0; idx < rows.length; idx++) {
            int lineNo = idx + 1;
            String line = rows[idx].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                sectionName = line.substring(1, line.length() - 1).toLowerCase(Locale.ROOT);
                section = switch (sectionName) {
                    case "pre" -> Section.PRE;
                    case "post" -> Section.POST;
                    default -> null;
                };
                if (section == null) {
                    warn(warnings, sourceName + " line " + lineNo + ": section [" + sectionName
                            + "] is not used (rules belong in [pre] or [post])");
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new ConfigException(sourceName, lineNo, sectionName, null,
                        "'" + line + "' is not a rule (write: regex = replacement)");
            }
            String pattern = line.substring(0, eq).strip();
            String replacement = line.substring(eq + 1).strip();
            if (section == null) {
                if (sectionName == null) {
                    warn(warnings, sourceName + " line " + lineNo + ": rule before [pre] or [post] ignored");
                }
                continue;
            }
            PythonRegex.Translation translation;
            Pattern regex;
            try {
                translation = PythonRegex.translate(pattern);
                regex = translation.compile();
            } catch (PatternSyntaxException e) {
                warn(warnings, sourceName + " line " + lineNo + " [" + sectionName + "]: invalid regular expression '"
                        + pattern + "' (" + e.getDescription() + "); rule skipped");
                continue;
            }
            Object[] parts;
            try {
                parts = parseReplacement(replacement, regex, translation.groupNames());
            } catch (IllegalArgumentException e) {
                warn(warnings, sourceName + " line " + lineNo + " [" + sectionName + "]: invalid replacement '"
                        + replacement + "' (" + e.getMessage() + "); rule skipped");
                continue;
            }
            bySection.computeIfAbsent(section, k -> new ArrayList<>())
                    .add(new Rule(section, lineNo, pattern, replacement, regex, parts));
        }
        return new RewriteRules(bySection, warnings);
    }

    public static RewriteRules load(Path file) throws IOException, ConfigException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Applies the rules of {@code section} in order; returns {@code name} itself when none matched. */
    public String rewrite(String name, Section section) {
        Rule[] r = rules.get(section);
        if (r.length == 0) {
            return name;
        }
        Matcher[] ms = matchers.get().get(section);
        String current = name;
        for (int i = 0; i < r.length; i++) {
            Matcher m = ms[i].reset(current);
            current = r[i].apply(m, current);
        }
        return current;
    }

    public boolean isEmpty() {
        return isEmpty(Section.PRE) && isEmpty(Section.POST);
    }

    public boolean isEmpty(Section section) {
        return rules.get(section).length == 0;
    }

    public List<Rule> rules(Section section) {
        return List.of(rules.get(section));
    }

    /** What was logged as skipped or ignored while parsing. */
    public List<String> warnings() {
        return warnings;
    }

    private static void warn(List<String> warnings, String message) {
        LOG.warn(message);
        warnings.add(message);
    }

    /**
     * Python's replacement template syntax, resolved against {@code regex}'s groups; {@code pythonToJava} maps the
     * Python group names to the names in {@code regex}.
     */
    static Object[] parseReplacement(String repl, Pattern regex, Map<String, String> pythonToJava) {
        int groups = regex.matcher("").groupCount();
        Map<String, Integer> named = regex.namedGroups();
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int n = repl.length();
        int i = 0;
        while (i < n) {
            char c = repl.charAt(i);
            if (c != '\\') {
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 >= n) {
                throw new IllegalArgumentException("bad escape (end of template)");
            }
            char d = repl.charAt(i + 1);
            int group = -1;
            if (d == 'g') {
                int lt = i + 2;
                int gt = repl.indexOf('>', lt);
                if (lt >= n || repl.charAt(lt) != '<' || gt < 0) {
                    throw new IllegalArgumentException("missing <group> after \\g");
                }
                String ref = repl.substring(lt + 1, gt);
                if (!ref.isEmpty() && ref.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                    group = Integer.parseInt(ref);
                } else {
                    Integer idx = named.get(pythonToJava.getOrDefault(ref, ref));
                    if (idx == null) {
                        throw new IllegalArgumentException("unknown group name '" + ref + "'");
                    }
                    group = idx;
                }
                i = gt + 1;
            } else if (d == '0' || (isOctal(d) && i + 3 < n && isOctal(repl.charAt(i + 2))
                    && isOctal(repl.charAt(i + 3)))) {
                int j = i + 1;
                int value = 0;
                while (j < n && j < i + 4 && isOctal(repl.charAt(j))) {
                    value = value * 8 + (repl.charAt(j) - '0');
                    j++;
                }
                if (value > 0377) {
                    throw new IllegalArgumentException("octal escape " + repl.substring(i, j) + " out of range");
                }
                literal.append((char) value);
                i = j;
            } else if (d >= '1' && d <= '9') {
                int j = i + 2;
                group = d - '0';
                if (j < n && repl.charAt(j) >= '0' && repl.charAt(j) <= '9') {
                    group = group * 10 + (repl.charAt(j) - '0');
                    j++;
                }
                i = j;
            } else {
                String esc = switch (d) {
                    case 'n' -> "\n";
                    case 't' -> "\t";
                    case 'r' -> "\r";
                    case 'f' -> "\f";
                    case 'v' -> "\u000B";
                    case 'a' -> "\u0007";
                    case 'b' -> "\b";
                    case '\\' -> "\\";
                    default -> null;
                };
                if (esc == null && ((d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z'))) {
                    throw new IllegalArgumentException("bad escape \\" + d);
                }
                literal.append(esc != null ? esc : "\\" + d);
                i += 2;
            }
            if (group >= 0) {
                if (group > groups) {
                    throw new IllegalArgumentException("invalid group reference " + group);
                }
                if (!literal.isEmpty()) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                parts.add(group);
            }
        }
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
        }
        return parts.toArray();
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }
}
