package io.tally.engine.config;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles the Python ({@code re}) regular expressions found in carbon's configuration files into
 * {@link java.util.regex.Pattern}s that accept the same names.
 *
 * <p>Conversions (Python → Java):
 * <ul>
 *   <li>{@code (?P<name>...)} → {@code (?<name>...)}, and {@code (?P=name)} → {@code \k<name>}. Java group names
 *       allow only letters and digits, so a Python name such as {@code app_metric} is renamed
 *       ({@code appmetric}, made unique); {@link Translation#groupNames()} maps Python names to Java names.</li>
 *   <li>{@code \Z} (end of string) → {@code \z}; {@code \v} (vertical tab) → {@code \x0B}; {@code \0} and
 *       {@code \0oo} (octal) and {@code \UXXXXXXXX} → {@code \x{..}}.</li>
 *   <li>A {@code {} that does not start a repetition is a literal in Python and is escaped; {@code {,n}} →
 *       {@code {0,n}}.</li>
 *   <li>Inside a character class: a leading {@code ]} is literal, and {@code [}, {@code &} are literals (Java would
 *       read nested classes and {@code &&} intersections); {@code [\b]} (backspace) → {@code [\x08]}.</li>
 *   <li>{@code (?#comment)} is removed. Inline flags {@code a} (ASCII), {@code u} and {@code L} are dropped; with
 *       {@code a} the pattern is compiled without {@link Pattern#UNICODE_CHARACTER_CLASS}.</li>
 *   <li>By default patterns are compiled with {@link Pattern#UNICODE_CHARACTER_CLASS}, as Python 3 str patterns
 *       match {@code \w \d \s \b} and case-insensitivity over Unicode.</li>
 * </ul>
 * Rejected (a {@link PatternSyntaxException}, as Python would reject them too or Java cannot express them):
 * escapes of ASCII letters Python does not know ({@code \h}, {@code \p}, {@code \Q}, ...), conditional groups
 * {@code (?(1)a|b)}, unknown group names in {@code (?P=name)}.
 *
 * <p>Known remaining differences, all in constructs nobody uses in metric-name patterns: octal escapes of three
 * digits starting with {@code 1-7} and two-digit backreferences to groups that do not exist follow Java's rules;
 * Python 3.11's restriction that global inline flags appear first is not enforced; the {@code %} interpolation
 * of Python's ConfigParser is not applied to values ({@code %} is literal).
 */
public final class PythonRegex {
    /** Flags Java needs besides the ones written inside the pattern. */
    private static final int UNICODE_FLAGS = Pattern.UNICODE_CHARACTER_CLASS;
    private static final Pattern PY_GROUP_NAME = Pattern.compile("\\(\\?P<([^>]*)>");
    private static final String PY_LETTER_ESCAPES = "abBdDfnrsStvwWAZxuUN";

    private PythonRegex() {
    }

    /**
     * @param javaRegex  the Java syntax
     * @param flags      flags to compile it with
     * @param groupNames Python group name → Java group name, in order of appearance
     */
    public record Translation(String javaRegex, int flags, Map<String, String> groupNames) {
        public Pattern compile() {
            return Pattern.compile(javaRegex, flags);
        }
    }

    /** Translates and compiles; a syntax error carries the original Python text and a description. */
    public static Pattern compile(String python) {
        return translate(python).compile();
    }

    /** Converts Python syntax to Java syntax (see the class comment); the result is checked by compiling it. */
    public static Translation translate(String python) {
        Map<String, String> names = new LinkedHashMap<>();
        Set<String> used = reserveValidNames(python);
        StringBuilder out = new StringBuilder(python.length() + 16);
        boolean ascii = false;
        boolean inClass = false;
        int classContentStart = -1;
        int n = python.length();
        int i = 0;
        while (i < n) {
            char c = python.charAt(i);
            if (c == '\\') {
                i = escape(python, i, inClass, out);
                continue;
            }
            if (inClass) {
                if (c == ']' && i > classContentStart) {
                    inClass = false;
                    out.append(']');
                } else if (c == ']' || c == '[' || c == '&') {
                    out.append('\\').append(c);
                } else {
                    out.append(c);
                }
                i++;
                continue;
            }
            switch (c) {
                case '[' -> {
                    inClass = true;
                    out.append('[');
                    i++;
                    if (i < n && python.charAt(i) == '^') {
                        out.append('^');
                        i++;
                    }
                    classContentStart = i;
                }
                case '(' -> {
                    if (i + 1 < n && python.charAt(i + 1) == '?') {
                        int[] asciiOut = {ascii ? 1 : 0};
                        i = extension(python, i, out, names, used, asciiOut);
                        ascii = asciiOut[0] == 1;
                    } else {
                        out.append('(');
                        i++;
                    }
                }
                case '{' -> i = brace(python, i, out);
                default -> {
                    out.append(c);
                    i++;
                }
            }
        }
        if (inClass) {
            throw new PatternSyntaxException("unterminated character set", python, classContentStart - 1);
        }
        String java = out.toString();
        int flags = ascii ? 0 : UNICODE_FLAGS;
        try {
            Pattern.compile(java, flags);
        } catch (PatternSyntaxException e) {
            throw new PatternSyntaxException(e.getDescription(), python, -1);
        }
        return new Translation(java, flags, Collections.unmodifiableMap(names));
    }

    /** Names already valid in Java keep their spelling; reserve them before renaming the others. */
    private static Set<String> reserveValidNames(String python) {
        Set<String> used = new HashSet<>();
        Matcher m = PY_GROUP_NAME.matcher(python);
        while (m.find()) {
            if (isJavaGroupName(m.group(1))) {
                used.add(m.group(1));
            }
        }
        return used;
    }

    private static boolean isJavaGroupName(String s) {
        if (s.isEmpty() || !isAsciiLetter(s.charAt(0))) {
            return false;
        }
        for (int k = 1; k < s.length(); k++) {
            char ch = s.charAt(k);
            if (!isAsciiLetter(ch) && !(ch >= '0' && ch <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
    }

    private static String javaName(String py, Set<String> used) {
        if (isJavaGroupName(py)) {
            return py;
        }
        StringBuilder base = new StringBuilder();
        for (int k = 0; k < py.length(); k++) {
            char ch = py.charAt(k);
            if (isAsciiLetter(ch) || (ch >= '0' && ch <= '9')) {
                base.append(ch);
            }
        }
        if (base.isEmpty() || !isAsciiLetter(base.charAt(0))) {
            base.insert(0, 'g');
        }
        String candidate = base.toString();
        for (int k = 2; used.contains(candidate); k++) {
            candidate = base.toString() + k;
        }
        used.add(candidate);
        return candidate;
    }

    /** Copies or converts the escape at {@code i}; returns the index after it. */
    private static int escape(String p, int i, boolean inClass, StringBuilder out) {
        if (i + 1 >= p.length()) {
            throw new PatternSyntaxException("bad escape (end of pattern)", p, i);
        }
        char d = p.charAt(i + 1);
        if (isAsciiLetter(d) && PY_LETTER_ESCAPES.indexOf(d) < 0) {
            throw new PatternSyntaxException("bad escape \\" + d, p, i);
        }
        switch (d) {
            case 'Z' -> {
                if (inClass) {
                    throw new PatternSyntaxException("bad escape \\Z in a character set", p, i);
                }
                out.append("\\z");
                return i + 2;
            }
            case 'v' -> {
                out.append("\\x0B");
                return i + 2;
            }
            case 'b' -> {
                out.append(inClass ? "\\x08" : "\\b");
                return i + 2;
            }
            case '0' -> {
                int j = i + 2;
                int value = 0;
                while (j < p.length() && j < i + 4 && p.charAt(j) >= '0' && p.charAt(j) <= '7') {
                    value = value * 8 + (p.charAt(j) - '0');
                    j++;
                }
                out.append("\\x{").append(Integer.toHexString(value)).append('}');
                return j;
            }
            case 'U' -> {
                if (i + 10 > p.length()) {
                    throw new PatternSyntaxException("incomplete escape \\U", p, i);
                }
                String hex = p.substring(i + 2, i + 10);
                try {
                    Integer.parseInt(hex, 16);
                } catch (NumberFormatException e) {
                    throw new PatternSyntaxException("incomplete escape \\U" + hex, p, i);
                }
                out.append("\\x{").append(hex).append('}');
                return i + 10;
            }
            default -> {
                out.append('\\').append(d);
                return i + 2;
            }
        }
    }

    /** Handles {@code (?...} at {@code i}; returns the index after what it consumed. */
    private static int extension(String p, int i, StringBuilder out, Map<String, String> names, Set<String> used,
                                 int[] ascii) {
        if (p.startsWith("(?P<", i)) {
            int gt = p.indexOf('>', i + 4);
            if (gt < 0) {
                throw new PatternSyntaxException("missing >, unterminated name", p, i);
            }
            String py = p.substring(i + 4, gt);
            if (!isPythonIdentifier(py)) {
                throw new PatternSyntaxException("bad character in group name '" + py + "'", p, i);
            }
            if (names.containsKey(py)) {
                throw new PatternSyntaxException("redefinition of group name '" + py + "'", p, i);
            }
            String java = javaName(py, used);
            names.put(py, java);
            out.append("(?<").append(java).append('>');
            return gt + 1;
        }
        if (p.startsWith("(?P=", i)) {
            int rp = p.indexOf(')', i + 4);
            if (rp < 0) {
                throw new PatternSyntaxException("missing ), unterminated name", p, i);
            }
            String py = p.substring(i + 4, rp);
            String java = names.get(py);
            if (java == null) {
                throw new PatternSyntaxException("unknown group name '" + py + "'", p, i);
            }
            out.append("\\k<").append(java).append('>');
            return rp + 1;
        }
        if (p.startsWith("(?#", i)) {
            int rp = p.indexOf(')', i + 3);
            if (rp < 0) {
                throw new PatternSyntaxException("missing ), unterminated comment", p, i);
            }
            return rp + 1;
        }
        if (p.startsWith("(?(", i)) {
            throw new PatternSyntaxException("conditional groups (?(...)...) are not supported", p, i);
        }
        // inline flags: (?flags) or (?flags-flags:...)
        int j = i + 2;
        while (j < p.length() && "aiLmsux-".indexOf(p.charAt(j)) >= 0) {
            j++;
        }
        if (j > i + 2 && j < p.length() && (p.charAt(j) == ')' || p.charAt(j) == ':')) {
            StringBuilder kept = new StringBuilder();
            for (int k = i + 2; k < j; k++) {
                char f = p.charAt(k);
                if (f == 'a') {
                    ascii[0] = 1;
                } else if (f != 'u' && f != 'L') {
                    kept.append(f);
                }
            }
            String flags = kept.toString();
            boolean meaningful = !flags.isEmpty() && !flags.equals("-");
            if (p.charAt(j) == ')') {
                if (meaningful) {
                    out.append("(?").append(flags).append(')');
                }
            } else {
                out.append("(?").append(meaningful ? flags : "").append(':');
            }
            return j + 1;
        }
        out.append("(?");
        return i + 2;
    }

    private static boolean isPythonIdentifier(String s) {
        if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')) {
            return false;
        }
        for (int k = 1; k < s.length(); k++) {
            char ch = s.charAt(k);
            if (!Character.isLetterOrDigit(ch) && ch != '_') {
                return false;
            }
        }
        return true;
    }

    /** A repetition {@code {m}, {m,}, {,n}, {m,n}, {,}} or else a literal brace, as Python's parser decides. */
    private static int brace(String p, int i, StringBuilder out) {
        int n = p.length();
        int j = i + 1;
        int loStart = j;
        while (j < n && Character.isDigit(p.charAt(j)) && p.charAt(j) < 128) {
            j++;
        }
        String lo = p.substring(loStart, j);
        boolean comma = false;
        String hi = "";
        if (j < n && p.charAt(j) == ',') {
            comma = true;
            j++;
            int hiStart = j;
            while (j < n && Character.isDigit(p.charAt(j)) && p.charAt(j) < 128) {
                j++;
            }
            hi = p.substring(hiStart, j);
        }
        boolean closed = j < n && p.charAt(j) == '}';
        if (!closed || (lo.isEmpty() && !comma)) {
            out.append("\\{");
            return i + 1;
        }
        out.append('{').append(lo.isEmpty() ? "0" : lo);
        if (comma) {
            out.append(',').append(hi);
        }
        out.append('}');
        return j + 1;
    }
}
