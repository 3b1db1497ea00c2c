package io.tally.engine.index;

import io.tally.engine.api.FindNode;
import io.tally.engine.api.LimitExceededException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Seeded random data and queries; every answer of the index is compared with a slow reference that scans all
 * names: globs as one regex over the full name, tag expressions parsed and applied per series on their own.
 */
class SeriesIndexDifferentialTest {
    private static final boolean LONG = Boolean.getBoolean("tally.long");

    private static final String[] NODES = {"a", "b", "ab", "ba", "a-b", "cpu", "c1", "c2", "x_y", "z", "h01", "h02",
        "h10", "abc"};
    private static final String[] GLOBS = {"*", "?", "a*", "*b", "[ab]*", "{a,cpu}", "c[0-9]", "[!a]*", "{a,b}*",
        "*-*", "?*b", "h{0,1}?", "{ab,ba,z}", "h[!0]?", "*{1,2}", "{,a}b", "a{b,bc}"};
    private static final String[] TAGS = {"name", "dc", "host", "s", "t", "zz"};
    private static final String[] VALUES = {"us", "eu", "h1", "h2", "h10", "200", "500", "a.b", "x"};
    private static final String[] REGEXES = {"a.*", ".*b", "h[0-9]$", "", "(m|x)", "cpu\\.", "m\\.a", ".", "^h1",
        "[a-c]+$", "a\\.b", "a-b\\.c1$", "(ab|ba)\\..*z", "[a-c]+\\.h0", "ab?\\.", "\\w+\\.cpu\\b", "(?=a)ab",
        "a(?!b)", "h\\d+$", "a\\.", "z$", "(?:a|b)\\.(?:a|b)$", "x_y\\.x_y", ".*\\.c[12]\\.", "abc?\\b", "a{2}",
        "b|ab\\.a-b", "c1\\.h0[12]$", "(?i)AB", "[^.]+\\.[^.]+$"};

    private record Series(int id, String name, Map<String, String> tags, String[] nodes) {
        static Series of(int id, String name) {
            return new Series(id, name, referenceTags(name), name.contains(";") ? null : name.split("\\."));
        }
    }

    /** One parsed expression of the reference: tag, operator, spec and (for regexes) the anchored pattern. */
    private record Expr(String tag, String op, String spec, Pattern regex) {
        static Expr of(String text) {
            Matcher m = SPEC.matcher(text);
            assertThat(m.matches()).isTrue();
            String spec = m.group(3);
            Pattern regex = m.group(2).endsWith("~")
                    ? Pattern.compile(spec.startsWith("^") ? spec : "^(?:" + spec + ")") : null;
            return new Expr(m.group(1), m.group(2), spec, regex);
        }

        boolean test(String value) {
            return switch (op) {
                case "=" -> value.equals(spec);
                case "!=" -> !value.equals(spec);
                default -> op.equals("=~") == regex.matcher(value).find();
            };
        }
    }

    @ParameterizedTest(name = "seed {0}, walk budget {1}")
    @CsvSource({"1, 0", "42, 0", "20261122, " + SeriesIndex.DEFAULT_WALK_BUDGET})
    void indexAgreesWithReference(long seed, int walkBudget) {
        Random rnd = new Random(seed);
        SeriesIndex index = new SeriesIndex(false, walkBudget);
        Map<Integer, Series> live = new HashMap<>();
        int plainCount = LONG ? 20_000 : 3_000;
        int taggedCount = LONG ? 3_000 : 600;
        int id = 0;
        TreeSet<String> used = new TreeSet<>();
        while (live.size() < plainCount + taggedCount) {
            String name = live.size() < plainCount ? randomPlain(rnd) : randomTagged(rnd);
            if (used.add(name)) {
                index.add(id, name);
                live.put(id, Series.of(id, name));
                id++;
            }
        }
        // churn: remove a tenth, then add some new and re-add some removed names under new ids
        List<Integer> ids = new ArrayList<>(live.keySet());
        for (int i = 0; i < ids.size() / 10; i++) {
            int victim = ids.get(rnd.nextInt(ids.size()));
            if (live.remove(victim) != null) {
                index.remove(victim);
            }
        }
        for (int i = 0; i < 200; i++) {
            String name = rnd.nextBoolean() ? randomPlain(rnd) : randomTagged(rnd);
            if (index.idOf(name) < 0) {
                index.add(id, name);
                live.put(id, Series.of(id, name));
                id++;
            }
        }
        assertThat(index.size()).isEqualTo(live.size());
        for (Series s : live.values()) {
            assertThat(index.name(s.id)).isEqualTo(s.name);
            assertThat(index.idOf(s.name)).isEqualTo(s.id);
        }

        int rounds = LONG ? 3000 : 300;
        for (int r = 0; r < rounds; r++) {
            String pattern = randomPattern(rnd);
            checkFind(index, live, pattern);
            checkMatchLeaves(index, live, pattern);
        }
        for (int r = 0; r < rounds; r++) {
            List<String> exprs = randomExpressions(rnd);
            checkTags(index, live, exprs);
            if (rnd.nextInt(4) == 0) {
                checkAutocomplete(index, live, exprs, rnd);
            }
        }
        assertThat(index.allLeafNames()).containsExactlyElementsOf(
                live.values().stream().map(Series::name).sorted().toList());
    }

    private static String randomPlain(Random rnd) {
        int depth = 1 + rnd.nextInt(5);
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < depth; d++) {
            if (d > 0) {
                sb.append('.');
            }
            sb.append(NODES[rnd.nextInt(d == 0 ? 4 : NODES.length)]);
        }
        return sb.toString();
    }

    private static String randomTagged(Random rnd) {
        String[] names = {"m.a", "m.b", "cpu.load", "x", "a.b"};
        StringBuilder sb = new StringBuilder(names[rnd.nextInt(names.length)]);
        TreeSet<String> parts = new TreeSet<>();
        for (int t = 1; t < TAGS.length; t++) {
            if (rnd.nextInt(3) > 0) {
                parts.add(";" + TAGS[t] + "=" + VALUES[rnd.nextInt(VALUES.length)]);
            }
        }
        parts.forEach(sb::append);
        return sb.toString();
    }

    private static String randomPattern(Random rnd) {
        int depth = 1 + rnd.nextInt(5);
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < depth; d++) {
            if (d > 0) {
                sb.append('.');
            }
            sb.append(rnd.nextInt(3) == 0 ? NODES[rnd.nextInt(NODES.length)] : GLOBS[rnd.nextInt(GLOBS.length)]);
        }
        return sb.toString();
    }

    private static List<String> randomExpressions(Random rnd) {
        int n = 1 + rnd.nextInt(3);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String tag = TAGS[rnd.nextInt(TAGS.length)];
            String op = new String[] {"=", "!=", "=~", "!=~"}[rnd.nextInt(4)];
            String spec;
            if (op.endsWith("~")) {
                spec = REGEXES[rnd.nextInt(REGEXES.length)];
            } else if (rnd.nextInt(6) == 0) {
                spec = "";
            } else if (tag.equals("name")) {
                spec = rnd.nextBoolean() ? "m.a" : randomPlain(rnd);
            } else {
                spec = VALUES[rnd.nextInt(VALUES.length)];
            }
            out.add(tag + op + spec);
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------
    // reference implementations

    private static void checkFind(SeriesIndex index, Map<Integer, Series> live, String pattern) {
        Pattern re = GlobReference.pathRegex(pattern);
        int depth = pattern.split("\\.", -1).length;
        TreeSet<FindNode> expected = new TreeSet<>();
        for (Series s : live.values()) {
            String[] nodes = s.nodes;
            if (nodes == null || nodes.length < depth) {
                continue;
            }
            String prefix = String.join(".", java.util.Arrays.copyOf(nodes, depth));
            if (re.matcher(prefix).matches()) {
                expected.add(new FindNode(prefix, nodes.length == depth));
            }
        }
        assertThat(index.find(pattern, 1_000_000)).as("find %s", pattern).containsExactlyElementsOf(expected);
        if (!expected.isEmpty()) {
            assertThatThrownBy(() -> index.find(pattern, expected.size() - 1))
                    .isInstanceOf(LimitExceededException.class);
        }
    }

    private static void checkMatchLeaves(SeriesIndex index, Map<Integer, Series> live, String pattern) {
        Pattern re = GlobReference.pathRegex(pattern);
        RoaringBitmap expected = new RoaringBitmap();
        for (Series s : live.values()) {
            if (!s.name.contains(";") && re.matcher(s.name).matches()) {
                expected.add(s.id);
            }
        }
        assertThat(index.matchLeaves(pattern, 1_000_000)).as("matchLeaves %s", pattern).isEqualTo(expected);
        if (!expected.isEmpty()) {
            assertThatThrownBy(() -> index.matchLeaves(pattern, expected.getCardinality() - 1))
                    .isInstanceOf(LimitExceededException.class);
        }
    }

    private static final Pattern SPEC = Pattern.compile("^([^;!=]+)(!?=~?)([^;]*)$");

    private static void checkTags(SeriesIndex index, Map<Integer, Series> live, List<String> exprs) {
        RoaringBitmap expected = referenceMatch(live, exprs);
        if (expected == null) {
            assertThatThrownBy(() -> index.matchTags(exprs, 1_000_000))
                    .as("%s", exprs).isInstanceOf(IllegalArgumentException.class);
            return;
        }
        assertThat(index.matchTags(exprs, 1_000_000)).as("matchTags %s", exprs).isEqualTo(expected);
    }

    /** Null when every expression matches the empty string (an error). */
    private static RoaringBitmap referenceMatch(Map<Integer, Series> live, List<String> texts) {
        List<Expr> exprs = texts.stream().map(Expr::of).toList();
        if (exprs.stream().allMatch(e -> e.test(""))) {
            return null;
        }
        RoaringBitmap out = new RoaringBitmap();
        for (Series s : live.values()) {
            boolean all = true;
            for (Expr e : exprs) {
                all &= e.test(s.tags.getOrDefault(e.tag, ""));
            }
            if (all) {
                out.add(s.id);
            }
        }
        return out;
    }

    private static Map<String, String> referenceTags(String name) {
        Map<String, String> tags = new LinkedHashMap<>();
        String[] parts = name.split(";");
        tags.put("name", parts[0]);
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            tags.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
        }
        return tags;
    }

    private static void checkAutocomplete(SeriesIndex index, Map<Integer, Series> live, List<String> exprs,
            Random rnd) {
        RoaringBitmap matched = referenceMatch(live, exprs);
        if (matched == null) {
            return;
        }
        String prefix = rnd.nextBoolean() ? "" : TAGS[rnd.nextInt(TAGS.length)].substring(0, 1);
        int limit = 1 + rnd.nextInt(6);
        TreeSet<String> searched = new TreeSet<>();
        for (String e : exprs) {
            searched.add(Expr.of(e).tag);
        }
        TreeSet<String> names = new TreeSet<>();
        matched.forEach((int id) -> names.addAll(live.get(id).tags.keySet()));
        names.removeAll(searched);
        names.removeIf(t -> !t.startsWith(prefix));
        assertThat(index.tagNames(prefix, exprs, limit)).as("tagNames %s %s", prefix, exprs)
                .containsExactlyElementsOf(names.stream().limit(limit).toList());

        String tag = TAGS[rnd.nextInt(TAGS.length)];
        String valuePrefix = rnd.nextBoolean() ? "" : tag.equals("name") ? "a" : "h";
        TreeSet<String> values = new TreeSet<>();
        matched.forEach((int id) -> {
            String v = live.get(id).tags.get(tag);
            if (v != null && v.startsWith(valuePrefix)) {
                values.add(v);
            }
        });
        assertThat(index.tagValues(tag, valuePrefix, exprs, limit)).as("tagValues %s %s %s", tag, valuePrefix, exprs)
                .containsExactlyElementsOf(values.stream().limit(limit).toList());
        TreeSet<String> allValues = new TreeSet<>();
        for (Series s : live.values()) {
            String v = s.tags.get(tag);
            if (v != null && v.startsWith(valuePrefix)) {
                allValues.add(v);
            }
        }
        assertThat(index.tagValues(tag, valuePrefix, List.of(), limit)).as("tagValues %s %s", tag, valuePrefix)
                .containsExactlyElementsOf(allValues.stream().limit(limit).toList());
    }
}
