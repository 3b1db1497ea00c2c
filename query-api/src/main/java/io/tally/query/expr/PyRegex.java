package io.tally.query.expr;

import io.tally.engine.config.PythonRegex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Python {@code re.search} / {@code re.sub} for aliasSub, exclude, grep and friends: the pattern is translated
 * with {@link PythonRegex}, the replacement is a Python template ({@code \1}, {@code \g<1>}, {@code \g<name>},
 * {@code \n}, {@code \\}; other backslash pairs of non-letters stay as written; unmatched groups give ""),
 * never Java's {@code $} syntax.
 */
public final class PyRegex {
    private final Pattern pattern;
    private final Map<String, String> groupNames;

    private PyRegex(PythonRegex.Translation t) {
        this.pattern = t.compile();
        this.groupNames = t.groupNames();
    }

    /** @throws IllegalArgumentException when the Python pattern does not compile */
    public static PyRegex compile(String python) {
        try {
            return new PyRegex(PythonRegex.translate(python));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression '" + python + "': "
                    + e.getDescription());
        }
    }

    /** {@code re.search(pattern, s) is not None}. */
    public boolean search(String s) {
        return pattern.matcher(s).find();
    }

    /** {@code re.sub(pattern, replacement, s)}. @throws IllegalArgumentException for a bad template */
    public String sub(String replacement, String s) {
        List<Object> template = parseTemplate(replacement);
        Matcher m = pattern.matcher(s);
        StringBuilder out = new StringBuilder(s.length() + 16);
        int last = 0;
        while (m.find()) {
            out.append(s, last, m.start());
            for (Object piece : template) {
                if (piece instanceof Integer g) {
                    String v = m.group(g);
                    if (v != null) {
                        out.append(v);
                    }
                } else {
                    out.append((String) piece);
                }
            }
            last = m.end();
        }
        out.append(s, last, s.length());
        return out.toString();
    }

    /** Literal strings and group numbers. */
    private List<Object> parseTemplate(String r) {
        List<Object> out = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int groups = pattern.matcher("").groupCount();
        int i = 0;
        while (i < r.length()) {
            char c = r.charAt(i);
            if (c != '\\' || i + 1 >= r.length()) {
                lit.append(c);
                i++;
                continue;
            }
            char d = r.charAt(i + 1);
            if (d == 'g') {
                int lt = i + 2;
                int gt = r.indexOf('>', lt);
                if (lt >= r.length() || r.charAt(lt) != '<' || gt < 0) {
                    throw new IllegalArgumentException("missing group name in replacement '" + r + "'");
                }
                String ref = r.substring(lt + 1, gt);
                int g;
                if (!ref.isEmpty() && ref.chars().allMatch(Character::isDigit)) {
                    g = Integer.parseInt(ref);
                } else {
                    String java = groupNames.get(ref);
                    if (java == null) {
                        throw new IllegalArgumentException("unknown group name '" + ref + "' in replacement");
                    }
                    g = groupIndex(java);
                }
                if (g > groups) {
                    throw new IllegalArgumentException("invalid group reference " + ref + " in replacement");
                }
                flush(lit, out);
                out.add(g);
                i = gt + 1;
            } else if (d >= '1' && d <= '9') {
                int j = i + 2;
                int g = d - '0';
                if (j < r.length() && Character.isDigit(r.charAt(j)) && g * 10 + (r.charAt(j) - '0') <= groups) {
                    g = g * 10 + (r.charAt(j) - '0');
                    j++;
                }
                if (g > groups) {
                    throw new IllegalArgumentException("invalid group reference " + g + " in replacement '" + r
                            + "'");
                }
                flush(lit, out);
                out.add(g);
                i = j;
            } else if (d == '0') {
                int j = i + 2;
                int v = 0;
                while (j < r.length() && j < i + 4 && r.charAt(j) >= '0' && r.charAt(j) <= '7') {
                    v = v * 8 + (r.charAt(j) - '0');
                    j++;
                }
                lit.append((char) v);
                i = j;
            } else {
                String esc = switch (d) {
                    case 'n' -> "\n";
                    case 't' -> "\t";
                    case 'r' -> "\r";
                    case 'f' -> "\f";
                    case 'v' -> "\u000b";
                    case 'a' -> "\u0007";
                    case 'b' -> "\b";
                    case '\\' -> "\\";
                    default -> null;
                };
                if (esc == null) {
                    if ((d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z')) {
                        throw new IllegalArgumentException("bad escape \\" + d + " in replacement '" + r + "'");
                    }
                    lit.append('\\').append(d);
                } else {
                    lit.append(esc);
                }
                i += 2;
            }
        }
        flush(lit, out);
        return out;
    }

    private int groupIndex(String javaName) {
        Integer g = pattern.namedGroups().get(javaName);
        if (g == null) {
            throw new IllegalArgumentException("unknown group name '" + javaName + "' in replacement");
        }
        return g;
    }

    private static void flush(StringBuilder lit, List<Object> out) {
        if (!lit.isEmpty()) {
            out.add(lit.toString());
            lit.setLength(0);
        }
    }
}
