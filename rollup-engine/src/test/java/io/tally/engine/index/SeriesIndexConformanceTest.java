package io.tally.engine.index;

import io.tally.engine.api.FindNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Replays the find, expand, index and tag requests of the Graphite conformance set
 * ({@code shared/conformance/queries.jsonl}) against an index of the same data set and compares with the answers
 * graphite-web recorded. The response shaping (treejson, completer) is done here the way the query layer will do
 * it, so what is checked is the index's part: which nodes, which names, in which order.
 */
class SeriesIndexConformanceTest {
    private static final Set<String> PATHS = Set.of("/metrics/find", "/metrics/expand", "/metrics/index.json",
            "/tags/autoComplete/tags", "/tags/autoComplete/values", "/tags/findSeries");

    @TestFactory
    Stream<DynamicTest> answersMatchGraphiteWeb() throws IOException {
        Path dir = Path.of(System.getProperty("tally.shared", "../shared"), "conformance");
        assumeTrue(Files.isDirectory(dir.resolve("golden")), "conformance set not found at " + dir);
        SeriesIndex index = new SeriesIndex(true);
        int id = 0;
        for (String name : datasetNames(dir)) {
            index.add(id++, name);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("queries.jsonl"))) {
            if (line.isBlank()) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> q = (Map<String, Object>) MiniJson.parse(line);
            if (!PATHS.contains((String) q.get("path"))) {
                continue;
            }
            String qid = (String) q.get("id");
            tests.add(DynamicTest.dynamicTest(qid, () -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> golden = (Map<String, Object>) MiniJson.parse(
                        Files.readString(dir.resolve("golden").resolve(qid + ".json")));
                assertThat(golden.get("status")).isEqualTo(200L);
                @SuppressWarnings("unchecked")
                Object actual = answer(index, (String) q.get("path"), (Map<String, Object>) q.get("params"));
                Object expected = golden.get("body");
                if ("json_unordered".equals(q.get("compare"))) {
                    actual = unordered(actual);
                    expected = unordered(expected);
                }
                assertThat(actual).isEqualTo(expected);
            }));
        }
        assertThat(tests).hasSizeGreaterThan(20);
        return tests.stream();
    }

    /** Plain names from the recorded index.json (minus carbon's _tagged files) plus the generator's tagged list. */
    private static List<String> datasetNames(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        @SuppressWarnings("unchecked")
        Map<String, Object> golden = (Map<String, Object>) MiniJson.parse(
                Files.readString(dir.resolve("golden/metrics_index.json")));
        for (Object o : (List<?>) golden.get("body")) {
            if (!((String) o).startsWith("_tagged.")) {
                names.add((String) o);
            }
        }
        String gen = Files.readString(dir.resolve("gen_dataset.py"));
        String block = gen.substring(gen.indexOf("TAGGED = ["), gen.indexOf("]", gen.indexOf("TAGGED = [")));
        Matcher m = Pattern.compile("\"([^\"\\n]*;[^\"\\n]*)\"").matcher(block);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static Object answer(SeriesIndex index, String path, Map<String, Object> p) {
        return switch (path) {
            case "/metrics/find" -> find(index, p);
            case "/metrics/expand" -> expand(index, p);
            case "/metrics/index.json" -> index.allLeafNames();
            case "/tags/autoComplete/tags" -> index.tagNames(str(p, "tagPrefix"), list(p, "expr"), limit(p));
            case "/tags/autoComplete/values" ->
                    index.tagValues(str(p, "tag"), str(p, "valuePrefix"), list(p, "expr"), limit(p));
            case "/tags/findSeries" -> index.matchTags(list(p, "expr"), 100_000).stream()
                    .mapToObj(index::name).sorted().toList();
            default -> throw new IllegalArgumentException(path);
        };
    }

    private static Object find(SeriesIndex index, Map<String, Object> p) {
        String query = str(p, "query");
        String format = p.containsKey("format") ? str(p, "format") : "treejson";
        if (format.equals("completer")) {
            query = query.replace("..", "*.");
            if (!query.endsWith("*")) {
                query += "*";
            }
        }
        List<FindNode> nodes = new ArrayList<>(index.find(query, 100_000));
        if ("1".equals(p.get("leavesOnly"))) {
            nodes.removeIf(n -> !n.leaf());
        }
        String base = query.substring(0, query.lastIndexOf('.') + 1);
        switch (format) {
            case "treejson" -> {
                TreeSet<String> branches = new TreeSet<>();
                TreeSet<String> leaves = new TreeSet<>();
                for (FindNode n : nodes) {
                    (n.leaf() ? leaves : branches).add(n.nodeName());
                }
                leaves.removeAll(branches);
                List<Object> out = new ArrayList<>();
                if ("1".equals(p.get("wildcards")) && branches.size() + leaves.size() > 1) {
                    out.add(treeEntry(base, "*", branches.isEmpty()));
                }
                branches.forEach(t -> out.add(treeEntry(base, t, false)));
                leaves.forEach(t -> out.add(treeEntry(base, t, true)));
                return out;
            }
            case "json" -> {
                List<Object> out = new ArrayList<>();
                for (FindNode n : nodes) {
                    assertThat(n.leaf()).as("leaf answers carry intervals, not modelled here").isFalse();
                    out.add(Map.of("path", n.path(), "is_leaf", false));
                }
                return out;
            }
            case "completer" -> {
                List<Object> out = new ArrayList<>();
                for (FindNode n : nodes) {
                    out.add(Map.of("path", n.path() + (n.leaf() ? "" : "."), "name", n.nodeName(),
                            "is_leaf", n.leaf() ? "1" : "0"));
                }
                return Map.of("metrics", out);
            }
            default -> throw new IllegalArgumentException(format);
        }
    }

    private static Map<String, Object> treeEntry(String base, String text, boolean leaf) {
        Map<String, Object> m = new LinkedHashMap<>();
        long b = leaf ? 0L : 1L;
        m.put("allowChildren", b);
        m.put("expandable", b);
        m.put("id", base + text);
        m.put("leaf", 1L - b);
        m.put("text", text);
        return m;
    }

    private static Object expand(SeriesIndex index, Map<String, Object> p) {
        boolean leavesOnly = "1".equals(p.get("leavesOnly"));
        Map<String, List<String>> grouped = new TreeMap<>();
        TreeSet<String> all = new TreeSet<>();
        for (String q : list(p, "query")) {
            TreeSet<String> paths = new TreeSet<>();
            for (FindNode n : index.find(q, 100_000)) {
                if (n.leaf() || !leavesOnly) {
                    paths.add(n.path());
                }
            }
            grouped.put(q, List.copyOf(paths));
            all.addAll(paths);
        }
        return Map.of("results", "1".equals(p.get("groupByExpr")) ? grouped : List.copyOf(all));
    }

    private static String str(Map<String, Object> p, String key) {
        Object v = p.get(key);
        return v instanceof List<?> l ? (String) l.get(0) : (String) v;
    }

    private static List<String> list(Map<String, Object> p, String key) {
        Object v = p.get(key);
        if (v == null) {
            return List.of();
        }
        return v instanceof List<?> l ? l.stream().map(String.class::cast).toList() : List.of((String) v);
    }

    private static int limit(Map<String, Object> p) {
        return p.containsKey("limit") ? Integer.parseInt(str(p, "limit")) : 100;
    }

    private static Object unordered(Object o) {
        if (o instanceof List<?> l) {
            return l.stream().map(SeriesIndexConformanceTest::unordered)
                    .sorted(Comparator.comparing(String::valueOf)).toList();
        }
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> out = new TreeMap<>();
            m.forEach((k, v) -> out.put(k, unordered(v)));
            return out;
        }
        return o;
    }
}
