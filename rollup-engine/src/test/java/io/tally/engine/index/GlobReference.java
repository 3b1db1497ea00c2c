package io.tally.engine.index;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Slow, obvious reference for Graphite globs used by differential tests: braces expanded by rewriting the text,
 * each alternative translated to a java.util.regex fragment where wildcards never match a dot, and the nodes of a
 * path joined with {@code \.}.
 */
final class GlobReference {
    private GlobReference() {
    }

    /** Regex for a whole dotted pattern, to be used with {@code matcher(name).matches()}. */
    static Pattern pathRegex(String pattern) {
        StringBuilder re = new StringBuilder();
        for (String node : pattern.split("\\.", -1)) {
            if (!re.isEmpty()) {
                re.append("\\.");
            }
            re.append(nodeRegex(node));
        }
        return Pattern.compile(re.toString());
    }

    /** Regex for one node: not hidden, not empty unless the pattern is a plain empty string. */
    static String nodeRegex(String glob) {
        List<String> alts = expand(glob);
        StringBuilder re = new StringBuilder("(?:");
        for (int i = 0; i < alts.size(); i++) {
            if (i > 0) {
                re.append('|');
            }
            String alt = alts.get(i);
            boolean plain = !alt.matches("(?s).*[*?\\[].*");
            re.append(plain ? "" : "(?![.])(?=[^.])").append(translate(alt));
        }
        return re.append(')').toString();
    }

    private static List<String> expand(String s) {
        int open = -1;
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                if (depth++ == 0) {
                    open = i;
                }
            } else if (c == '}' && depth > 0 && --depth == 0) {
                List<String> out = new ArrayList<>();
                int start = open + 1;
                int d = 0;
                for (int j = open + 1; j <= i; j++) {
                    char cj = s.charAt(j);
                    if (cj == '{') {
                        d++;
                    } else if (cj == '}' && d > 0) {
                        d--;
                    } else if ((cj == ',' && d == 0) || j == i) {
                        for (String tail : expand(s.substring(i + 1))) {
                            for (String mid : expand(s.substring(start, j))) {
                                out.add(s.substring(0, open) + mid + tail);
                            }
                        }
                        start = j + 1;
                    }
                }
                return out;
            }
        }
        return List.of(s);
    }

    private static String translate(String glob) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i++);
            if (c == '*') {
                re.append("[^.]*");
            } else if (c == '?') {
                re.append("[^.]");
            } else if (c == '[') {
                int j = i;
                if (j < glob.length() && glob.charAt(j) == '!') {
                    j++;
                }
                if (j < glob.length() && glob.charAt(j) == ']') {
                    j++;
                }
                while (j < glob.length() && glob.charAt(j) != ']') {
                    j++;
                }
                if (j >= glob.length()) {
                    re.append("\\[");
                    continue;
                }
                String stuff = glob.substring(i, j);
                boolean neg = stuff.startsWith("!");
                if (neg) {
                    stuff = stuff.substring(1);
                }
                StringBuilder cls = new StringBuilder(neg ? "[^." : "[");
                boolean any = false;
                int k = 0;
                while (k < stuff.length()) {
                    char lo = stuff.charAt(k);
                    if (k + 2 < stuff.length() && stuff.charAt(k + 1) == '-') {
                        char hi = stuff.charAt(k + 2);
                        if (lo <= hi) {
                            cls.append(hex(lo)).append('-').append(hex(hi));
                            any = true;
                        }
                        k += 3;
                    } else {
                        cls.append(hex(lo));
                        any = true;
                        k++;
                    }
                }
                re.append(any ? cls.append(']') : neg ? "[^.]" : "(?!)");
                i = j + 1;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    private static String hex(char c) {
        return "\\x{" + Integer.toHexString(c) + "}";
    }
}
