package io.tally.query;

import io.tally.engine.api.FindNode;
import io.tally.engine.api.StorageReader;
import io.tally.engine.util.Clock;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /metrics/find}, {@code /metrics/expand} and {@code /metrics/index.json} (spec §3.3–3.5) over a
 * {@link StorageReader}, framework-free. Each method blocks on storage: call it from a worker thread.
 */
public final class MetricsApi {
    /** A node with its name computed once (a sort would otherwise cut the name out of the path per comparison). */
    private record Named(String name, FindNode node) {
    }

    private final StorageReader reader;
    private final QueryLimits limits;
    private final Clock clock;

    public MetricsApi(StorageReader reader, QueryLimits limits, Clock clock) {
        this.reader = reader;
        this.limits = limits;
        this.clock = clock;
    }

    /** Output options shared by the JSON answers. */
    public record Out(boolean pretty, boolean ensureAscii, String jsonp) {
    }

    /**
     * graphite-web's find view.
     *
     * @param format {@code treejson} (default), {@code completer}, {@code json} or {@code nodelist}
     *               ({@code pickle} and {@code msgpack}: {@link #findBinary})
     * @throws BadRequestException for a missing query or an unsupported format
     */
    public JsonWriter find(String query, String format, boolean leavesOnly, boolean wildcards,
                           boolean automaticVariants, int position, Out out) {
        return find(query, format, leavesOnly, wildcards, automaticVariants, position, out,
                limits.maxFindResults());
    }

    /** Most nodes a find answered on the event loop may match (see {@link #cheapFind}). */
    public static final int INLINE_FIND_LIMIT = 2_000;

    /**
     * Whether a find is cheap enough to answer on the event loop, without the hop to a worker thread: the pattern
     * (as {@link #find} will use it) has wildcards in at most one level and is not a tagged-series lookup, so the
     * index visits the children of one node at most once per matching path prefix. The caller still bounds the
     * answer with {@link #INLINE_FIND_LIMIT} and moves to a worker when more nodes match.
     */
    public static boolean cheapFind(String query, String format, boolean automaticVariants) {
        if (query == null || query.isEmpty() || query.length() > 512 || query.indexOf(';') >= 0
                || "pickle".equals(format) || "msgpack".equals(format)) {
            return false;
        }
        String pattern = "completer".equals(format) ? completerQuery(query, automaticVariants) : query;
        int wildLevels = 0;
        boolean wildHere = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '.') {
                wildHere = false;
            } else if ((c == '*' || c == '?' || c == '[' || c == '{') && !wildHere) {
                wildHere = true;
                wildLevels++;
            }
        }
        return wildLevels <= 1;
    }

    /**
     * As {@link #find(String, String, boolean, boolean, boolean, int, Out)} with at most {@code limit} matching
     * nodes.
     *
     * @throws io.tally.engine.api.LimitExceededException when more match
     */
    public JsonWriter find(String query, String format, boolean leavesOnly, boolean wildcards,
                           boolean automaticVariants, int position, Out out, int limit) {
        if (query == null) {
            throw new BadRequestException("Missing required parameter 'query'");
        }
        if (query.isEmpty()) {
            throw new BadRequestException("Required parameter 'query' is empty");
        }
        String fmt = format == null || format.isEmpty() ? "treejson" : format;
        if (!fmt.equals("treejson") && !fmt.equals("completer") && !fmt.equals("json") && !fmt.equals("nodelist")) {
            throw new BadRequestException(fmt.equals("pickle") || fmt.equals("msgpack")
                    ? "format=" + fmt + " is answered by findBinary" : "Invalid value for 'format' parameter");
        }
        int lastDot = query.lastIndexOf('.');
        String base = lastDot < 0 ? "" : query.substring(0, lastDot + 1);
        String pattern = fmt.equals("completer") ? completerQuery(query, automaticVariants) : query;

        List<FindNode> nodes = new ArrayList<>(reader.find(pattern, limit));
        if (leavesOnly) {
            nodes.removeIf(n -> !n.leaf());
        }
        nodes = sortedByName(nodes); // stable: keeps the reader's path order (branch first) among equal names

        JsonWriter w = open(out);
        switch (fmt) {
            case "treejson" -> treeJson(w, nodes, base, wildcards);
            case "completer" -> completer(w, nodes, wildcards);
            case "json" -> jsonNodes(w, nodes);
            default -> nodeList(w, nodes, position);
        }
        return close(w, out);
    }

    /**
     * The cluster formats of graphite-web's find view: {@code pickle} or {@code msgpack} of a list of
     * {@code {"path": .., "is_leaf": ..}} sorted by node name, leaves also with {@code "intervals": []}. Only plain
     * dicts and lists are written, never graphite's {@code Interval} objects: the storage API does not expose the
     * intervals, and a peer's restricted unpickler must not be asked to construct objects.
     *
     * @throws BadRequestException for a missing query or another format
     */
    public Body findBinary(String query, String format, boolean leavesOnly) {
        if (query == null || query.isEmpty()) {
            throw new BadRequestException(query == null ? "Missing required parameter 'query'"
                    : "Required parameter 'query' is empty");
        }
        List<FindNode> nodes = new ArrayList<>(reader.find(query, limits.maxFindResults()));
        if (leavesOnly) {
            nodes.removeIf(n -> !n.leaf());
        }
        nodes = sortedByName(nodes);
        if ("pickle".equals(format)) {
            PickleWriter w = new PickleWriter(64 + 48 * nodes.size());
            w.beginList();
            for (FindNode n : nodes) {
                w.beginDict().value("path").value(n.path()).value("is_leaf").value(n.leaf());
                if (n.leaf()) {
                    w.value("intervals").beginList().endList();
                }
                w.endDict();
            }
            w.endList().finish();
            return new Body("application/pickle", w.array(), w.length());
        }
        if ("msgpack".equals(format)) {
            MsgpackWriter w = new MsgpackWriter(64 + 48 * nodes.size());
            w.array(nodes.size());
            for (FindNode n : nodes) {
                w.map(n.leaf() ? 3 : 2).value("path").value(n.path()).value("is_leaf").value(n.leaf());
                if (n.leaf()) {
                    w.value("intervals").array(0);
                }
            }
            return new Body("application/x-msgpack", w.array(), w.length());
        }
        throw new BadRequestException("Invalid value for 'format' parameter");
    }

    /** graphite-web's completer rewrite: {@code ..} becomes {@code *.}, a {@code *} is appended, variants braced. */
    /** {@code nodes} sorted by node name, stably, each name computed once. */
    static List<FindNode> sortedByName(List<FindNode> nodes) {
        List<Named> named = new ArrayList<>(nodes.size());
        for (FindNode n : nodes) {
            named.add(new Named(n.nodeName(), n));
        }
        named.sort(Comparator.comparing(Named::name));
        List<FindNode> out = new ArrayList<>(named.size());
        for (Named n : named) {
            out.add(n.node());
        }
        return out;
    }

    static String completerQuery(String query, boolean automaticVariants) {
        String q = query.replace("..", "*.");
        if (!q.endsWith("*")) {
            q += "*";
        }
        if (automaticVariants) {
            String[] parts = q.split("\\.", -1);
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].indexOf(',') >= 0 && parts[i].indexOf('{') < 0) {
                    parts[i] = "{" + parts[i] + "}";
                }
            }
            q = String.join(".", parts);
        }
        return q;
    }

    private static void treeJson(JsonWriter w, List<FindNode> nodes, String base, boolean wildcards) {
        w.beginArray();
        if (wildcards && nodes.size() > 1) {
            boolean anyBranch = nodes.stream().anyMatch(n -> !n.leaf());
            treeNode(w, "*", base + "*", !anyBranch);
        }
        Set<String> seen = new HashSet<>();
        List<FindNode> leaves = new ArrayList<>();
        for (FindNode n : nodes) {
            if (!seen.add(n.nodeName())) {
                continue; // a name that is both branch and leaf is listed once, as the branch seen first
            }
            if (n.leaf()) {
                leaves.add(n);
            } else {
                treeNode(w, unquote(n.nodeName()), base + n.nodeName(), false);
            }
        }
        for (FindNode n : leaves) {
            treeNode(w, unquote(n.nodeName()), base + n.nodeName(), true);
        }
        w.endArray();
    }

    private static void treeNode(JsonWriter w, String text, String id, boolean leaf) {
        w.beginObject();
        w.name("text").value(text);
        w.name("id").value(id);
        w.name("allowChildren").value(leaf ? 0 : 1);
        w.name("expandable").value(leaf ? 0 : 1);
        w.name("leaf").value(leaf ? 1 : 0);
        w.endObject();
    }

    private static void completer(JsonWriter w, List<FindNode> nodes, boolean wildcards) {
        w.beginObject().name("metrics").beginArray();
        for (FindNode n : nodes) {
            w.beginObject();
            w.name("path").value(n.leaf() ? n.path() : n.path() + ".");
            w.name("name").value(n.nodeName());
            w.name("is_leaf").value(n.leaf() ? "1" : "0");
            w.endObject();
        }
        if (wildcards && nodes.size() > 1) {
            w.beginObject().name("name").value("*").endObject();
        }
        w.endArray().endObject();
    }

    /** Leaves carry {@code intervals}; the storage API does not expose them, so the list is empty. */
    private static void jsonNodes(JsonWriter w, List<FindNode> nodes) {
        List<FindNode> byPath = new ArrayList<>(nodes);
        byPath.sort(Comparator.comparing(FindNode::path));
        w.beginArray();
        for (FindNode n : byPath) {
            w.beginObject();
            w.name("path").value(n.path());
            w.name("is_leaf").value(n.leaf());
            if (n.leaf()) {
                w.name("intervals").beginArray().endArray();
            }
            w.endObject();
        }
        w.endArray();
    }

    private static void nodeList(JsonWriter w, List<FindNode> nodes, int position) {
        TreeSet<String> found = new TreeSet<>();
        for (FindNode n : nodes) {
            String[] parts = n.path().split("\\.", -1);
            int i = position < 0 ? parts.length + position : position;
            if (i < 0 || i >= parts.length) {
                throw new BadRequestException("Invalid position " + position + " for " + n.path());
            }
            found.add(parts[i]);
        }
        w.beginObject().name("nodes").beginArray();
        for (String s : found) {
            w.value(s);
        }
        w.endArray().endObject();
    }

    /** graphite-web's expand view: the sorted union of matches, or per query with {@code groupByExpr}. */
    public JsonWriter expand(List<String> queries, boolean groupByExpr, boolean leavesOnly, Out out) {
        Map<String, TreeSet<String>> results = new LinkedHashMap<>();
        for (String q : queries) {
            TreeSet<String> paths = results.computeIfAbsent(q, k -> new TreeSet<>());
            for (FindNode n : reader.find(q, limits.maxFindResults())) {
                if (n.leaf() || !leavesOnly) {
                    paths.add(n.path());
                }
            }
        }
        JsonWriter w = open(out);
        w.beginObject().name("results");
        if (groupByExpr) {
            w.beginObject();
            for (Map.Entry<String, TreeSet<String>> e : results.entrySet()) {
                w.name(e.getKey()).beginArray();
                e.getValue().forEach(w::value);
                w.endArray();
            }
            w.endObject();
        } else {
            TreeSet<String> all = new TreeSet<>();
            results.values().forEach(all::addAll);
            w.beginArray();
            all.forEach(w::value);
            w.endArray();
        }
        w.endObject();
        return close(w, out);
    }

    /**
     * Every leaf, sorted: a breadth-first walk of the tree with one {@code find(prefix.*)} per branch, bounded by
     * {@code query.timeout}.
     */
    public JsonWriter index(Out out) {
        QueryBudget budget = new QueryBudget(limits, clock);
        TreeSet<String> leaves = new TreeSet<>();
        ArrayDeque<String> branches = new ArrayDeque<>();
        Set<String> visited = new HashSet<>();
        String pattern = "*";
        while (pattern != null) {
            budget.checkTime();
            for (FindNode n : reader.find(pattern, limits.maxFindResults())) {
                if (n.leaf()) {
                    leaves.add(n.path());
                } else if (visited.add(n.path())) {
                    branches.add(n.path());
                }
            }
            String next = branches.poll();
            pattern = next == null ? null : next + ".*";
        }
        JsonWriter w = open(out);
        w.beginArray();
        leaves.forEach(w::value);
        w.endArray();
        return close(w, out);
    }

    private static JsonWriter open(Out out) {
        JsonWriter w = new JsonWriter(out.pretty(), out.ensureAscii());
        if (out.jsonp() != null) {
            w.raw(out.jsonp()).raw("(");
        }
        return w;
    }

    private static JsonWriter close(JsonWriter w, Out out) {
        if (out.jsonp() != null) {
            w.raw(")");
        }
        return w;
    }

    /** graphite-web shows node names URL-unquoted ({@code unquote_plus}). */
    static String unquote(String name) {
        if (name.indexOf('%') < 0 && name.indexOf('+') < 0) {
            return name;
        }
        return Params.decode(name, 0, name.length());
    }
}
