package io.tally.engine.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A compiled Graphite glob for one node of a metric path (the text between two dots).
 *
 * <p>Grammar (graphite-web uses Python {@code fnmatch}, case-sensitive, after expanding braces):
 * <ul>
 *   <li>{@code *} any run of characters, {@code ?} exactly one character (one code point);</li>
 *   <li>{@code [abc]}, {@code [a-z0-9]}, {@code [!abc]} sets as in fnmatch: a {@code ]} right after {@code [} or
 *       {@code [!} is literal, {@code -} first or last is literal, a reversed range such as {@code z-a} is empty,
 *       {@code ^} is literal (not a negation), a {@code [} without a closing {@code ]} is literal, a backslash inside
 *       a set is literal;</li>
 *   <li>{@code {a,b,c}} alternatives, nested ({@code {a,b{c,d}}}), several per node, empty ones allowed
 *       ({@code x{,-old}}); an unbalanced brace is a literal character;</li>
 *   <li>{@code \x} outside a set is the literal {@code x} (for names that contain {@code *?[{}});</li>
 *   <li>hidden names (starting with {@code .}) and empty names are never matched by a wildcard.</li>
 * </ul>
 *
 * <p>Compilation expands braces once (at most {@value #MAX_ALTERNATIVES} alternatives). Alternatives without
 * wildcards become a literal set, so an index can use hash lookups instead of scanning children; each remaining
 * alternative is a small program of fixed-width segments separated by stars, matched without regex or
 * allocation: the first segment anchors at the start, the last at the end, and the middle ones take their leftmost
 * position, which is exact for globs. Instances are immutable and thread-safe.
 */
public final class GlobPattern {
    /** Brace expansion beyond this many alternatives is refused (a pattern like {a,b}{c,d}... grows as 2^n). */
    public static final int MAX_ALTERNATIVES = 4096;

    private static final Program[] NO_PROGRAMS = new Program[0];
    private static final String[] NO_LITERALS = new String[0];

    private final String source;
    private final String[] literals;      // alternatives without wildcards, deduplicated
    private final Set<String> literalSet; // same, for lookups; null when there are fewer than 4
    private final Program[] programs;     // alternatives with wildcards
    private final boolean matchAll;       // one alternative is a lone '*'

    private GlobPattern(String source, String[] literals, Program[] programs) {
        this.source = source;
        this.literals = literals;
        this.literalSet = literals.length >= 4 ? new HashSet<>(Arrays.asList(literals)) : null;
        this.programs = programs;
        boolean all = false;
        for (Program p : programs) {
            all |= p.starOnly();
        }
        this.matchAll = all;
    }

    /**
     * Compiles one node pattern. Never fails on odd syntax (unbalanced brackets and braces are literals), only on
     * a brace expansion larger than {@value #MAX_ALTERNATIVES}.
     *
     * @throws IllegalArgumentException when braces expand to too many alternatives
     */
    public static GlobPattern compile(String nodePattern) {
        List<List<Token>> expanded = new Parser(nodePattern).parse();
        Set<String> lits = new LinkedHashSet<>();
        List<Program> progs = new ArrayList<>();
        Set<List<Token>> seen = new HashSet<>();
        for (List<Token> alt : expanded) {
            List<Token> merged = mergeLiterals(alt);
            if (!seen.add(merged)) {
                continue;
            }
            String lit = literalText(merged);
            if (lit != null) {
                lits.add(lit);
            } else {
                progs.add(Program.of(merged));
            }
        }
        if (lits.size() + progs.size() > MAX_ALTERNATIVES) {
            throw new Parser(nodePattern).tooMany();
        }
        return new GlobPattern(nodePattern, lits.toArray(NO_LITERALS), progs.toArray(NO_PROGRAMS));
    }

    /** True when the node matches. */
    public boolean matches(CharSequence node) {
        if (literals.length > 0 && matchesLiteral(node)) {
            return true;
        }
        if (programs.length == 0 || node.isEmpty() || node.charAt(0) == '.') {
            return false;
        }
        if (matchAll) {
            return true;
        }
        for (Program p : programs) {
            if (p.matches(node)) {
                return true;
            }
        }
        return false;
    }

    /** True when the pattern is one plain name (no wildcard and a single alternative): an exact lookup. */
    public boolean isLiteral() {
        return programs.length == 0 && literals.length == 1;
    }

    /** The pattern text as given to {@link #compile}. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }

    /** True when every alternative is a plain name, so matches are found by lookups of {@link #literals()}. */
    boolean isLiteralSet() {
        return programs.length == 0;
    }

    /** The plain-name alternatives (all alternatives when {@link #isLiteralSet()}). Do not modify. */
    String[] literals() {
        return literals;
    }

    /** True when the pattern matches every visible name (one alternative is a lone {@code *}). */
    boolean matchesEveryVisibleName() {
        return matchAll;
    }

    private boolean matchesLiteral(CharSequence node) {
        if (literalSet != null && node instanceof String s) {
            return literalSet.contains(s);
        }
        for (String lit : literals) {
            if (lit.contentEquals(node)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Tokens and parsing

    /** One element of an expanded alternative. Records give value equality for deduplication. */
    private sealed interface Token permits Lit, AnyOne, Star, CharSet {
    }

    private record Lit(String text) implements Token {
    }

    private record AnyOne() implements Token {
    }

    private record Star() implements Token {
    }

    /** A bracket set: sorted, merged inclusive code-point ranges {@code [lo0, hi0, lo1, hi1, ...]}. */
    private record CharSet(int[] ranges, boolean negated) implements Token {
        boolean contains(int cp) {
            boolean in = false;
            for (int i = 0; i < ranges.length; i += 2) {
                if (cp >= ranges[i] && cp <= ranges[i + 1]) {
                    in = true;
                    break;
                }
            }
            return in != negated;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CharSet c && c.negated == negated && Arrays.equals(c.ranges, ranges);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ranges) * 31 + (negated ? 1 : 0);
        }
    }

    private static final Star STAR = new Star();
    private static final AnyOne ANY_ONE = new AnyOne();

    /**
     * Parsing in graphite-web's order: braces are expanded on the text first (a '{' pairs with a '}' through a
     * stack, backslash-escaped ones excluded; unpaired braces stay literal), then each alternative is read as an
     * fnmatch pattern.
     */
    private static final class Parser {
        private final String source;
        private int produced;

        Parser(String source) {
            this.source = source;
        }

        List<List<Token>> parse() {
            List<List<Token>> out = new ArrayList<>();
            for (String alt : expand(source)) {
                out.add(tokenize(alt));
            }
            return out;
        }

        /** Brace expansion of {@code s}: the first paired '{' is expanded, then the rest recursively. */
        private List<String> expand(String s) {
            int[] closeOf = pairBraces(s);
            int open = -1;
            for (int i = 0; i < s.length(); i++) {
                if (closeOf[i] >= 0) {
                    open = i;
                    break;
                }
            }
            if (open < 0) {
                count(1);
                return List.of(s);
            }
            int close = closeOf[open];
            List<String> options = new ArrayList<>();
            int start = open + 1;
            for (int j = open + 1; j <= close; j++) {
                char d = s.charAt(j);
                if (d == '\\') {
                    j++;
                } else if (d == '{' && closeOf[j] >= 0) {
                    j = closeOf[j];
                } else if (d == ',' || j == close) {
                    options.add(s.substring(start, j));
                    start = j + 1;
                }
            }
            String prefix = s.substring(0, open);
            List<String> suffixes = expand(s.substring(close + 1));
            List<String> out = new ArrayList<>();
            for (String option : options) {
                for (String mid : expand(option)) {
                    for (String suffix : suffixes) {
                        count(1);
                        out.add(prefix + mid + suffix);
                    }
                }
            }
            return out;
        }

        private void count(int n) {
            produced += n;
            if (produced > 4 * MAX_ALTERNATIVES) {
                throw tooMany();
            }
        }

        private IllegalArgumentException tooMany() {
            return new IllegalArgumentException("glob '" + source + "' expands to more than " + MAX_ALTERNATIVES
                    + " alternatives; use fewer or smaller {a,b} groups");
        }

        /** For each '{' of {@code s}: the index of its '}' or -1 when unpaired. */
        private static int[] pairBraces(String s) {
            int[] closeOf = new int[s.length()];
            Arrays.fill(closeOf, -1);
            int[] stack = new int[s.length()];
            int depth = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '{') {
                    stack[depth++] = i;
                } else if (c == '}' && depth > 0) {
                    closeOf[stack[--depth]] = i;
                }
            }
            return closeOf;
        }

        /** One brace-free alternative as fnmatch tokens; a backslash outside a set makes the next char literal. */
        private static List<Token> tokenize(String p) {
            List<Token> out = new ArrayList<>();
            StringBuilder lit = new StringBuilder();
            int i = 0;
            while (i < p.length()) {
                char c = p.charAt(i);
                if (c == '\\' && i + 1 < p.length()) {
                    lit.append(p.charAt(i + 1));
                    i += 2;
                    continue;
                }
                Token t = null;
                int next = i + 1;
                if (c == '*') {
                    t = STAR;
                } else if (c == '?') {
                    t = ANY_ONE;
                } else if (c == '[') {
                    int end = setEnd(p, i);
                    if (end >= 0) {
                        t = parseSet(p, i + 1, end);
                        next = end + 1;
                    }
                }
                if (t == null) {
                    lit.append(c);
                } else {
                    if (!lit.isEmpty()) {
                        out.add(new Lit(lit.toString()));
                        lit.setLength(0);
                    }
                    out.add(t);
                }
                i = next;
            }
            if (!lit.isEmpty()) {
                out.add(new Lit(lit.toString()));
            }
            return out;
        }

        /** Index of the ']' closing a set opened at {@code open}, or -1 (fnmatch rules). */
        private static int setEnd(String p, int open) {
            int j = open + 1;
            if (j < p.length() && p.charAt(j) == '!') {
                j++;
            }
            if (j < p.length() && p.charAt(j) == ']') {
                j++;
            }
            while (j < p.length() && p.charAt(j) != ']') {
                j++;
            }
            return j < p.length() ? j : -1;
        }

        /** Parses the inside of a set p[from, to): optional '!', then chars and ranges read left to right. */
        private static CharSet parseSet(String p, int from, int to) {
            boolean negated = from < to && p.charAt(from) == '!';
            int i = negated ? from + 1 : from;
            List<int[]> ranges = new ArrayList<>();
            while (i < to) {
                int lo = p.codePointAt(i);
                int next = i + Character.charCount(lo);
                if (next + 1 < to && p.charAt(next) == '-') {
                    int hi = p.codePointAt(next + 1);
                    if (lo <= hi) {
                        ranges.add(new int[] {lo, hi});
                    }
                    i = next + 1 + Character.charCount(hi);
                } else {
                    ranges.add(new int[] {lo, lo});
                    i = next;
                }
            }
            ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
            int[] flat = new int[ranges.size() * 2];
            int n = 0;
            for (int[] r : ranges) {
                if (n > 0 && r[0] <= flat[n - 1] + 1) {
                    flat[n - 1] = Math.max(flat[n - 1], r[1]);
                } else {
                    flat[n++] = r[0];
                    flat[n++] = r[1];
                }
            }
            return new CharSet(Arrays.copyOf(flat, n), negated);
        }
    }

    /** Joins adjacent literals and collapses runs of stars so equal alternatives compare equal. */
    private static List<Token> mergeLiterals(List<Token> alt) {
        List<Token> out = new ArrayList<>(alt.size());
        for (Token t : alt) {
            Token last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (t instanceof Lit l && last instanceof Lit pl) {
                out.set(out.size() - 1, new Lit(pl.text() + l.text()));
            } else if (t instanceof Star && last instanceof Star) {
                continue;
            } else {
                out.add(t);
            }
        }
        return out;
    }

    /** The text of an alternative made only of literals, or null when it has a wildcard. */
    private static String literalText(List<Token> alt) {
        if (alt.isEmpty()) {
            return "";
        }
        if (alt.size() == 1 && alt.get(0) instanceof Lit l) {
            return l.text();
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Matching

    /** One wildcard alternative: segments of fixed width (in code points) separated by stars. */
    private record Program(Token[][] segments, boolean starOnly) {

        static Program of(List<Token> alt) {
            List<Token[]> segs = new ArrayList<>();
            List<Token> cur = new ArrayList<>();
            for (Token t : alt) {
                if (t instanceof Star) {
                    segs.add(cur.toArray(new Token[0]));
                    cur.clear();
                } else {
                    cur.add(t);
                }
            }
            segs.add(cur.toArray(new Token[0]));
            boolean starOnly = alt.size() == 1 && alt.get(0) instanceof Star;
            return new Program(segs.toArray(new Token[0][]), starOnly);
        }

        boolean matches(CharSequence s) {
            int len = s.length();
            if (segments.length == 1) {
                return matchAt(segments[0], s, 0, len) == len;
            }
            // first segment at the start
            int pos = matchAt(segments[0], s, 0, len);
            if (pos < 0) {
                return false;
            }
            // last segment at the end: its width in code points is fixed
            Token[] last = segments[segments.length - 1];
            int lastStart = startForSuffix(last, s, pos, len);
            if (lastStart < 0 || matchAt(last, s, lastStart, len) != len) {
                return false;
            }
            // middle segments leftmost within [pos, lastStart)
            for (int k = 1; k < segments.length - 1; k++) {
                Token[] seg = segments[k];
                int found = -1;
                for (int at = pos; at <= lastStart; at += charWidth(s, at, lastStart)) {
                    int end = matchAt(seg, s, at, lastStart);
                    if (end >= 0) {
                        found = end;
                        break;
                    }
                    if (at == lastStart) {
                        break;
                    }
                }
                if (found < 0) {
                    return false;
                }
                pos = found;
            }
            return true;
        }

        private static int charWidth(CharSequence s, int at, int limit) {
            if (at + 1 < limit && Character.isHighSurrogate(s.charAt(at)) && Character.isLowSurrogate(s.charAt(at + 1))) {
                return 2;
            }
            return 1;
        }

        /** Start index so that {@code seg} would end exactly at {@code len}, not before {@code min}; -1 if none. */
        private static int startForSuffix(Token[] seg, CharSequence s, int min, int len) {
            int at = len;
            for (int t = seg.length - 1; t >= 0; t--) {
                Token tok = seg[t];
                if (tok instanceof Lit l) {
                    at -= l.text().length();
                } else {
                    if (at <= min) {
                        return -1;
                    }
                    at -= (at - 2 >= min && Character.isLowSurrogate(s.charAt(at - 1))
                            && Character.isHighSurrogate(s.charAt(at - 2))) ? 2 : 1;
                }
                if (at < min) {
                    return -1;
                }
            }
            return at;
        }

        /** Matches the segment at {@code at}; returns the end index or -1. Never reads at or past {@code limit}. */
        private static int matchAt(Token[] seg, CharSequence s, int at, int limit) {
            int i = at;
            for (Token tok : seg) {
                if (tok instanceof Lit l) {
                    String text = l.text();
                    int n = text.length();
                    if (i + n > limit) {
                        return -1;
                    }
                    for (int k = 0; k < n; k++) {
                        if (s.charAt(i + k) != text.charAt(k)) {
                            return -1;
                        }
                    }
                    i += n;
                } else {
                    if (i >= limit) {
                        return -1;
                    }
                    int w = charWidth(s, i, limit);
                    if (tok instanceof CharSet set) {
                        int cp = w == 2 ? Character.toCodePoint(s.charAt(i), s.charAt(i + 1)) : s.charAt(i);
                        if (!set.contains(cp)) {
                            return -1;
                        }
                    }
                    i += w;
                }
            }
            return i;
        }
    }
}
