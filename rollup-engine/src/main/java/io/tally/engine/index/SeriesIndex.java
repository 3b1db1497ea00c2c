package io.tally.engine.index;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tally.engine.api.FindNode;
import io.tally.engine.api.LimitExceededException;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;

/**
 * The series index: canonical names to engine-assigned ids and back, Graphite {@code find} over the dotted
 * hierarchy, glob expansion to series ids, and the {@code seriesByTag} tag index.
 *
 * <h2>Structures</h2>
 * <ul>
 *   <li>A trie of {@link Node}s for plain names (32 bytes a node, names interned); a leaf id marks where a series
 *       ends, children where longer paths go on, so a path can be both leaf and branch. {@link #find} walks it
 *       level by level: a literal node (or a brace set of literals) is a hash lookup, a wildcard scans the
 *       children with a compiled {@link GlobPattern}. {@link #name} rebuilds a plain name from parent links
 *       instead of storing it.</li>
 *   <li>For each depth, a {@link PostingDict} from node name to the ids of the series passing through a node of
 *       that name at that depth, and a bitmap of series per path length. {@link #matchLeaves} walks the trie
 *       below the pattern's literal prefix; when a literal node follows a wildcard ({@code x.*.y.*.z}) and the
 *       walk grows past a small budget, it switches to intersecting these postings (smallest first), then checks
 *       the remaining wildcard nodes per candidate (walking up from its leaf) or through the union of the
 *       matching names' postings, whichever touches fewer ids.</li>
 *   <li>Tagged series (names containing {@code ;}) stay out of the trie (unless {@code graphiteTaggedTree}, see
 *       the constructor): a name-to-id dictionary, and per tag a {@link PostingDict} value-to-ids plus the bitmap
 *       of series having the tag. Every series has the tag {@code name}; for plain series it is the whole path and
 *       is answered from the trie rather than stored twice. Regexes run once per distinct value; over plain names
 *       the trie is walked depth-first with {@link Matcher#hitEnd()} pruning: a prefix that fails (or succeeds)
 *       without the matcher reaching its end fails (or succeeds) for every longer name below it.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * One {@link ReentrantReadWriteLock} (non-fair). Queries run under the read lock, so any number run at once and
 * each sees one consistent state; {@link #add} and {@link #remove} take the write lock for O(depth + tags) work
 * (microseconds). New series are rare next to queries, and a copy-on-write trie would copy large child tables
 * and shared postings on every insert, which costs far more at start-up (a million inserts) than brief reader
 * pauses. A writer waits at most for the queries already running; the expensive ones are bounded by the result
 * limits, and regex scans over tag values are cached (below). A queued writer stops new readers from barging, so
 * writers are not starved.
 *
 * <h2>Caches (Caffeine)</h2>
 * Compiled path patterns and tag expressions (dashboards repeat the same ones), find answers and the ids matching a
 * tag regex, the last two stamped with the index generation (bumped by every add and remove) so a stale entry is
 * never used. All bitmaps returned to callers are fresh copies they may modify.
 */
public final class SeriesIndex {
    /** matchLeaves first walks the trie; past this many visited nodes it switches to the postings. */
    static final int DEFAULT_WALK_BUDGET = 512;
    /** At or below this many candidates, further tag expressions are checked per series instead of by postings. */
    private static final int FILTER_THRESHOLD = 256;

    private static final GlobPattern[] NO_GLOBS = new GlobPattern[0];

    private final boolean graphiteTaggedTree;
    private final int walkBudget;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Lock readLock = lock.readLock();
    private final Lock writeLock = lock.writeLock();

    // ---- guarded by lock
    private final Node root = new Node("", null);
    /** id -> Node (plain series leaf), String (tagged canonical name) or TaggedEntry (tagged, in the tree too). */
    private Object[] byId = new Object[1024];
    private final PostingDict taggedIds = new PostingDict();
    private final List<PostingDict> byDepth = new ArrayList<>();
    private final List<RoaringBitmap> byLength = new ArrayList<>();
    private final Map<String, TagPostings> tags = new HashMap<>();
    private final RoaringBitmap all = new RoaringBitmap();
    private final RoaringBitmap plain = new RoaringBitmap();
    private int size;
    private long generation;

    // ---- thread-safe caches
    private final Cache<String, GlobPattern[]> patterns = Caffeine.newBuilder().maximumSize(10_000).build();
    private final Cache<String, TagExpression> exprCache = Caffeine.newBuilder().maximumSize(10_000).build();
    /**
     * Find answers by pattern, valid while the generation is unchanged (Grafana asks the same finds on every
     * dashboard load and refresh; render resolves the same wildcards). Bounded by an estimate of their bytes.
     * Answers longer than {@link #MAX_CACHED_FIND_NODES} are not kept: such a wildcard feeds a render over that
     * many series, whose fetch costs far more than the walk, while one entry would weigh megabytes and push out the
     * small, latency-sensitive answers that dashboards repeat.
     */
    static final int MAX_CACHED_FIND_NODES = 10_000;
    private final Cache<String, CachedFind> findResults = Caffeine.newBuilder()
            .maximumWeight(32L << 20)
            .weigher((String k, CachedFind v) -> 2 * k.length() + v.weight())
            .build();
    private final Cache<String, CachedIds> regexHits = Caffeine.newBuilder()
            .maximumWeight(64L << 20)
            .weigher((String k, CachedIds v) -> (int) Math.min(Integer.MAX_VALUE, v.ids.getLongSizeInBytes() + 64))
            .build();

    /** A tagged series that is also listed in the trie under its {@code _tagged.xxx.yyy.<sha256>} path. */
    private record TaggedEntry(String name, Node leaf) {
    }

    /** A find answer (immutable) and the generation it was computed at. */
    private record CachedFind(long generation, List<FindNode> nodes) {
        int weight() {
            long w = 64;
            for (FindNode n : nodes) {
                w += 56 + 2L * n.path().length();
            }
            return (int) Math.min(Integer.MAX_VALUE, w);
        }
    }

    private record CachedIds(long generation, RoaringBitmap ids) {
    }

    /** Values of one tag and the series that have the tag at all. */
    private static final class TagPostings {
        final PostingDict values = new PostingDict();
        final RoaringBitmap has = new RoaringBitmap();
    }

    /** An index where tagged series are reachable by exact name and by tags only (not listed by find). */
    public SeriesIndex() {
        this(false);
    }

    /**
     * @param graphiteTaggedTree also list each tagged series as a plain leaf under
     *     {@code _tagged.<sha[0:3]>.<sha[3:6]>.<sha256(canonical)>}, as graphite-web's whisper finder shows carbon's
     *     storage layout: {@code find("*")} then has a {@code _tagged} branch and {@link #allLeafNames()} lists
     *     those paths instead of the canonical tagged names (what the conformance answers recorded)
     */
    public SeriesIndex(boolean graphiteTaggedTree) {
        this(graphiteTaggedTree, DEFAULT_WALK_BUDGET);
    }

    /** For tests: {@code walkBudget} 0 sends every pattern with a literal after a wildcard to the postings. */
    SeriesIndex(boolean graphiteTaggedTree, int walkBudget) {
        this.graphiteTaggedTree = graphiteTaggedTree;
        this.walkBudget = walkBudget;
    }

    // =============================================================================================================
    // Writes

    /**
     * Registers series {@code id} under its canonical name. Idempotent for the same (id, name).
     *
     * @throws IllegalArgumentException when the id is negative or the name empty
     * @throws IllegalStateException when the id already names another series or the name has another id
     */
    public void add(int id, String canonicalName) {
        if (id < 0) {
            throw new IllegalArgumentException("series id must be >= 0, got " + id);
        }
        if (canonicalName == null || canonicalName.isEmpty()) {
            throw new IllegalArgumentException("series name must not be empty (id " + id + ")");
        }
        writeLock.lock();
        try {
            Object current = id < byId.length ? byId[id] : null;
            if (current != null) {
                String existing = nameOf(current);
                if (existing.equals(canonicalName)) {
                    return;
                }
                throw new IllegalStateException("series id " + id + " is already '" + existing
                        + "', cannot also be '" + canonicalName + "'");
            }
            int other = existingId(canonicalName);
            if (other >= 0) {
                throw new IllegalStateException("series '" + canonicalName + "' already has id " + other
                        + ", cannot also have id " + id);
            }
            if (id >= byId.length) {
                byId = Arrays.copyOf(byId, Math.max(id + 1, byId.length + (byId.length >> 1)));
            }
            if (TaggedName.isTagged(canonicalName)) {
                addTagged(id, canonicalName);
            } else {
                byId[id] = insertPath(id, canonicalName);
                plain.add(id);
            }
            all.add(id);
            size++;
            generation++;
        } finally {
            writeLock.unlock();
        }
    }

    /** Forgets series {@code id}; no-op when unknown. Branches left without series disappear. */
    public void remove(int id) {
        writeLock.lock();
        try {
            Object entry = id >= 0 && id < byId.length ? byId[id] : null;
            if (entry == null) {
                return;
            }
            if (entry instanceof Node leaf) {
                removePath(id, leaf);
                plain.remove(id);
            } else {
                String name = entry instanceof TaggedEntry t ? t.name : (String) entry;
                removeTagged(id, name);
                if (entry instanceof TaggedEntry t) {
                    removePath(id, t.leaf);
                }
            }
            byId[id] = null;
            all.remove(id);
            size--;
            generation++;
        } finally {
            writeLock.unlock();
        }
    }

    /** The id already holding this name (for a plain name: whatever leaf sits on that path), or -1. */
    private int existingId(String canonical) {
        if (TaggedName.isTagged(canonical)) {
            return taggedIds.firstId(canonical);
        }
        Node n = lookup(canonical);
        return n == null ? -1 : n.leafId;
    }

    private void addTagged(int id, String canonical) {
        taggedIds.add(canonical, id);
        for (Map.Entry<String, String> tag : TaggedName.tags(canonical).entrySet()) {
            TagPostings tp = tags.computeIfAbsent(tag.getKey(), k -> new TagPostings());
            tp.values.add(tag.getValue(), id);
            tp.has.add(id);
        }
        byId[id] = graphiteTaggedTree
                ? new TaggedEntry(canonical, insertPath(id, TaggedName.hashedPath(canonical)))
                : canonical;
    }

    private void removeTagged(int id, String canonical) {
        taggedIds.remove(canonical, id);
        for (Map.Entry<String, String> tag : TaggedName.tags(canonical).entrySet()) {
            TagPostings tp = tags.get(tag.getKey());
            if (tp == null) {
                continue;
            }
            tp.values.remove(tag.getValue(), id);
            tp.has.remove(id);
            if (tp.has.isEmpty()) {
                tags.remove(tag.getKey());
            }
        }
    }

    /** Creates the trie path of a plain name and its postings; returns the leaf. */
    private Node insertPath(int id, String path) {
        Node node = root;
        int depth = 0;
        int start = 0;
        while (true) {
            int dot = path.indexOf('.', start);
            int end = dot < 0 ? path.length() : dot;
            if (depth == byDepth.size()) {
                byDepth.add(new PostingDict());
            }
            String name = byDepth.get(depth).add(path.substring(start, end), id);
            Node child = node.child(name);
            if (child == null) {
                child = new Node(name, node);
                node.addChild(child);
            }
            node = child;
            depth++;
            if (dot < 0) {
                break;
            }
            start = dot + 1;
        }
        node.leafId = id;
        while (byLength.size() <= depth) {
            byLength.add(new RoaringBitmap());
        }
        byLength.get(depth).add(id);
        return node;
    }

    private void removePath(int id, Node leaf) {
        int depth = depthOf(leaf);
        byLength.get(depth).remove(id);
        int d = depth - 1;
        for (Node n = leaf; n != root; n = n.parent, d--) {
            byDepth.get(d).remove(n.name, id);
        }
        leaf.leafId = -1;
        for (Node n = leaf; n != root && n.leafId < 0 && !n.hasChildren(); n = n.parent) {
            n.parent.removeChild(n);
        }
    }

    // =============================================================================================================
    // Names and ids

    /** Number of series. */
    public int size() {
        readLock.lock();
        try {
            return size;
        } finally {
            readLock.unlock();
        }
    }

    /** The canonical name of series {@code id}, or null when unknown. */
    public String name(int id) {
        readLock.lock();
        try {
            Object entry = id >= 0 && id < byId.length ? byId[id] : null;
            return entry == null ? null : nameOf(entry);
        } finally {
            readLock.unlock();
        }
    }

    /** The id of the series with this canonical name, or -1. No allocation for plain names. */
    public int idOf(String canonicalName) {
        readLock.lock();
        try {
            return idOfLocked(canonicalName);
        } finally {
            readLock.unlock();
        }
    }

    private int idOfLocked(String name) {
        if (TaggedName.isTagged(name)) {
            return taggedIds.firstId(name);
        }
        Node n = lookup(name);
        return n == null ? -1 : n.leafId;
    }

    /** The trie node of a dotted path, or null. */
    private Node lookup(String path) {
        Node node = root;
        int start = 0;
        while (node != null) {
            int dot = path.indexOf('.', start);
            int end = dot < 0 ? path.length() : dot;
            node = node.child(path, start, end);
            if (dot < 0) {
                return node;
            }
            start = dot + 1;
        }
        return null;
    }

    private String nameOf(Object entry) {
        if (entry instanceof Node n) {
            return pathOf(n);
        }
        return entry instanceof TaggedEntry t ? t.name : (String) entry;
    }

    private boolean isPlain(int id) {
        return id >= 0 && id < byId.length && byId[id] instanceof Node;
    }

    private Node treeLeaf(int id) {
        Object entry = byId[id];
        if (entry instanceof Node n) {
            return n;
        }
        return entry instanceof TaggedEntry t ? t.leaf : null;
    }

    private String pathOf(Node n) {
        int len = -1;
        int depth = 0;
        for (Node x = n; x != root; x = x.parent) {
            len += x.name.length() + 1;
            depth++;
        }
        Node[] chain = new Node[depth];
        for (Node x = n; x != root; x = x.parent) {
            chain[--depth] = x;
        }
        StringBuilder sb = new StringBuilder(Math.max(len, 0));
        for (Node x : chain) {
            if (!sb.isEmpty()) {
                sb.append('.');
            }
            sb.append(x.name);
        }
        return sb.toString();
    }

    private int depthOf(Node n) {
        int d = 0;
        for (Node x = n; x != root; x = x.parent) {
            d++;
        }
        return d;
    }

    // =============================================================================================================
    // find / matchLeaves

    /**
     * Graphite find: the nodes at the pattern's depth whose path matches it node by node, sorted by path, a branch
     * before the leaf of the same path. A pattern containing {@code ;} is an exact lookup of a tagged series. The
     * list is immutable; answers are cached until the next add or remove.
     *
     * @throws LimitExceededException when more than {@code limit} nodes match
     * @throws IllegalArgumentException when a brace group expands too far
     */
    public List<FindNode> find(String pattern, int limit) {
        if (TaggedName.isTagged(pattern)) {
            int id = idOf(pattern);
            if (id < 0) {
                return List.of();
            }
            checkLimit(1, limit, "find results", "query.max-find-results");
            return List.of(new FindNode(pattern, true));
        }
        GlobPattern[] globs = compilePath(pattern);
        if (globs.length == 0) {
            return List.of();
        }
        List<FindNode> out = new ArrayList<>();
        long gen;
        readLock.lock();
        try {
            gen = generation; // stable while the read lock is held: adds and removes take the write lock
            CachedFind cached = findResults.getIfPresent(pattern);
            if (cached != null && cached.generation == gen) {
                checkLimit(cached.nodes.size(), limit, "find results", "query.max-find-results");
                return cached.nodes;
            }
            List<Node> level = matchLevels(root, globs, 0);
            for (Node n : level) {
                boolean branch = n.hasChildren();
                boolean leaf = n.leafId >= 0;
                if (!branch && !leaf) {
                    continue;
                }
                checkLimit(out.size() + (branch ? 1 : 0) + (leaf ? 1 : 0), limit, "find results",
                        "query.max-find-results");
                String path = pathOf(n);
                if (branch) {
                    out.add(new FindNode(path, false));
                }
                if (leaf) {
                    out.add(new FindNode(path, true));
                }
            }
        } finally {
            readLock.unlock();
        }
        out.sort(Comparator.naturalOrder());
        List<FindNode> nodes = List.copyOf(out);
        if (nodes.size() <= MAX_CACHED_FIND_NODES) {
            findResults.put(pattern, new CachedFind(gen, nodes));
        }
        return nodes;
    }

    /**
     * Ids of the series whose whole name matches the glob (leaves only, exactly as many nodes as the pattern).
     * A pattern containing {@code ;} is an exact lookup of a tagged series.
     *
     * @throws LimitExceededException when more than {@code limit} series match
     */
    public RoaringBitmap matchLeaves(String pattern, int limit) {
        RoaringBitmap out;
        if (TaggedName.isTagged(pattern)) {
            int id = idOf(pattern);
            out = id < 0 ? new RoaringBitmap() : RoaringBitmap.bitmapOf(id);
        } else {
            GlobPattern[] globs = compilePath(pattern);
            readLock.lock();
            try {
                out = matchLeavesLocked(globs, limit);
            } finally {
                readLock.unlock();
            }
        }
        checkLimit(out.getCardinality(), limit, "series per query", "query.max-series");
        return out;
    }

    private RoaringBitmap matchLeavesLocked(GlobPattern[] globs, int limit) {
        int n = globs.length;
        if (n == 0 || n >= byLength.size() || byLength.get(n).isEmpty()) {
            return new RoaringBitmap();
        }
        // literal prefix: hash lookups down to an anchor node
        Node anchor = root;
        int k = 0;
        while (k < n && globs[k].isLiteral()) {
            anchor = anchor.child(globs[k].literals()[0]);
            if (anchor == null) {
                return new RoaringBitmap();
            }
            k++;
        }
        if (k == n) {
            return anchor.leafId >= 0 ? RoaringBitmap.bitmapOf(anchor.leafId) : new RoaringBitmap();
        }
        boolean literalAfterWildcard = false;
        for (int j = k + 1; j < n; j++) {
            literalAfterWildcard |= globs[j].isLiteralSet();
        }
        // without a later literal the postings cannot narrow anything: walk; with one, walk while it stays cheap
        List<Node> found = matchLevels(anchor, globs, k, literalAfterWildcard ? walkBudget : Long.MAX_VALUE);
        if (found == null) {
            return matchByPostings(globs);
        }
        RoaringBitmap out = new RoaringBitmap();
        int count = 0;
        for (Node leafish : found) {
            if (leafish.leafId >= 0) {
                out.add(leafish.leafId);
                checkLimit(++count, limit, "series per query", "query.max-series");
            }
        }
        return out;
    }

    /** matchLeaves through the per-depth postings; see the class comment. */
    private RoaringBitmap matchByPostings(GlobPattern[] globs) {
        int n = globs.length;
        // intersect literal (and literal-set) nodes, smallest posting first
        Integer[] literalDepths = new Integer[n];
        long[] cost = new long[n];
        int lits = 0;
        for (int d = 0; d < n; d++) {
            if (globs[d].isLiteralSet()) {
                PostingDict dict = byDepth.get(d);
                long c = 0;
                for (String lit : globs[d].literals()) {
                    c += dict.cardinality(lit);
                }
                if (c == 0) {
                    return new RoaringBitmap();
                }
                cost[d] = c;
                literalDepths[lits++] = d;
            }
        }
        Integer[] order = Arrays.copyOf(literalDepths, lits);
        Arrays.sort(order, Comparator.comparingLong(d -> cost[d]));
        RoaringBitmap cand = null;
        for (int d : order) {
            PostingDict dict = byDepth.get(d);
            String[] alts = globs[d].literals();
            if (cand == null) {
                cand = new RoaringBitmap();
                for (String lit : alts) {
                    int slot = dict.find(lit);
                    if (slot >= 0) {
                        dict.orInto(slot, cand);
                    }
                }
            } else if (alts.length == 1) {
                dict.andInto(dict.find(alts[0]), cand);
            } else {
                RoaringBitmap union = new RoaringBitmap();
                for (String lit : alts) {
                    int slot = dict.find(lit);
                    if (slot >= 0) {
                        dict.orInto(slot, union);
                    }
                }
                cand.and(union);
            }
            if (cand.isEmpty()) {
                return cand;
            }
        }
        cand.and(byLength.get(n));
        // remaining wildcard nodes; a lone '*' only needs checking where hidden or empty names exist
        List<Integer> wild = new ArrayList<>();
        for (int d = 0; d < n; d++) {
            GlobPattern g = globs[d];
            if (!g.isLiteralSet() && (!g.matchesEveryVisibleName() || byDepth.get(d).hasHiddenKeys())) {
                wild.add(d);
            }
        }
        // per wildcard node: AND the union of the matching names' postings when that touches few ids, else
        // check each candidate's ancestor against the set of matching names (or a memo of the glob per name)
        NameFilter[] pending = new NameFilter[n];
        boolean anyPending = false;
        for (int d : wild) {
            if (cand.isEmpty()) {
                return cand;
            }
            PostingDict dict = byDepth.get(d);
            long candidates = cand.getCardinality();
            if (candidates <= dict.size()) {
                pending[d] = new NameFilter(globs[d], null);
                anyPending = true;
                continue;
            }
            Set<String> matched = new HashSet<>();
            long postingIds = 0;
            for (int slot = 0; slot < dict.capacity(); slot++) {
                String key = dict.keyAt(slot);
                if (key != null && globs[d].matches(key)) {
                    matched.add(key);
                    postingIds += dict.cardinalityAt(slot);
                }
            }
            if (postingIds > 4 * candidates) {
                pending[d] = new NameFilter(globs[d], matched);
                anyPending = true;
                continue;
            }
            RoaringBitmap union = new RoaringBitmap();
            for (String key : matched) {
                dict.orInto(dict.find(key), union);
            }
            cand.and(union);
        }
        return anyPending ? filterByAncestors(cand, pending) : cand;
    }

    /** Whether a node name passes one wildcard node: a precomputed set of names, or the glob memoized per name. */
    private static final class NameFilter {
        private final GlobPattern glob;
        private final Set<String> matched;
        private final Map<String, Boolean> memo = new HashMap<>();

        NameFilter(GlobPattern glob, Set<String> matched) {
            this.glob = glob;
            this.matched = matched;
        }

        boolean test(String name) {
            if (matched != null) {
                return matched.contains(name);
            }
            Boolean hit = memo.get(name);
            if (hit == null) {
                hit = glob.matches(name);
                memo.put(name, hit);
            }
            return hit;
        }
    }

    /** Keeps the candidates whose ancestors pass the filters of their depths (null: nothing to check). */
    private RoaringBitmap filterByAncestors(RoaringBitmap cand, NameFilter[] filters) {
        int n = filters.length;
        RoaringBitmap out = new RoaringBitmap();
        IntIterator it = cand.getIntIterator();
        while (it.hasNext()) {
            int id = it.next();
            Node x = treeLeaf(id);
            boolean ok = x != null;
            for (int d = n - 1; ok && d >= 0; d--, x = x.parent) {
                ok = filters[d] == null || filters[d].test(x.name);
            }
            if (ok) {
                out.add(id);
            }
        }
        return out;
    }

    /** The nodes at depth {@code globs.length} below {@code start} (which is at depth {@code from}) that match. */
    private static List<Node> matchLevels(Node start, GlobPattern[] globs, int from) {
        return matchLevels(start, globs, from, Long.MAX_VALUE);
    }

    /**
     * As above, or null once the walk has looked at more than {@code budget} nodes (children scanned by wildcards,
     * lookups by literals); the walk is then abandoned.
     */
    private static List<Node> matchLevels(Node start, GlobPattern[] globs, int from, long budget) {
        List<Node> level = new ArrayList<>();
        level.add(start);
        long work = 0;
        for (int d = from; d < globs.length && !level.isEmpty(); d++) {
            GlobPattern g = globs[d];
            List<Node> next = new ArrayList<>();
            for (Node parent : level) {
                if (g.isLiteralSet()) {
                    work += g.literals().length;
                    for (String lit : g.literals()) {
                        Node c = parent.child(lit);
                        if (c != null) {
                            next.add(c);
                        }
                    }
                } else {
                    work += parent.childCount();
                    parent.forEachChild(c -> {
                        if (g.matches(c.name)) {
                            next.add(c);
                        }
                    });
                }
                if (work > budget) {
                    return null;
                }
            }
            level = next;
        }
        return level;
    }

    private GlobPattern[] compilePath(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            return NO_GLOBS;
        }
        return patterns.get(pattern, SeriesIndex::splitAndCompile);
    }

    private static GlobPattern[] splitAndCompile(String pattern) {
        List<GlobPattern> nodes = new ArrayList<>();
        int start = 0;
        while (true) {
            int dot = pattern.indexOf('.', start);
            int end = dot < 0 ? pattern.length() : dot;
            nodes.add(GlobPattern.compile(pattern.substring(start, end)));
            if (dot < 0) {
                return nodes.toArray(NO_GLOBS);
            }
            start = dot + 1;
        }
    }

    /** All leaf names (plain paths and tagged canonical names, or {@code _tagged} paths), sorted. */
    public List<String> allLeafNames() {
        List<String> out = new ArrayList<>();
        readLock.lock();
        try {
            StringBuilder sb = new StringBuilder(128);
            for (Node c : root.children()) {
                collectLeafNames(c, sb, out);
            }
            if (!graphiteTaggedTree) {
                for (int slot = 0; slot < taggedIds.capacity(); slot++) {
                    String key = taggedIds.keyAt(slot);
                    if (key != null) {
                        out.add(key);
                    }
                }
            }
        } finally {
            readLock.unlock();
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static void collectLeafNames(Node n, StringBuilder sb, List<String> out) {
        int mark = sb.length();
        if (mark > 0) {
            sb.append('.');
        }
        sb.append(n.name);
        if (n.leafId >= 0) {
            out.add(sb.toString());
        }
        n.forEachChild(c -> collectLeafNames(c, sb, out));
        sb.setLength(mark);
    }

    // =============================================================================================================
    // Tags

    /**
     * Ids of the series matching every expression ({@code seriesByTag}/{@code findSeries}).
     *
     * @throws IllegalArgumentException when there is no expression, one is malformed, or every expression matches
     *     the empty string (at least one must require a non-empty value)
     * @throws LimitExceededException when more than {@code limit} series match
     */
    public RoaringBitmap matchTags(List<String> expressions, int limit) {
        List<TagExpression> exprs = parseAll(expressions);
        RoaringBitmap out;
        readLock.lock();
        try {
            out = evaluate(exprs);
        } finally {
            readLock.unlock();
        }
        checkLimit(out.getCardinality(), limit, "series per query", "query.max-series");
        return out;
    }

    /**
     * Tag names for auto-completion, sorted, at most {@code limit}: all tags starting with {@code prefix}, or with
     * expressions, the tags of the matching series except those the expressions name (graphite-web semantics).
     */
    public List<String> tagNames(String prefix, List<String> expressions, int limit) {
        String pre = prefix == null ? "" : prefix;
        List<TagExpression> exprs = expressions == null || expressions.isEmpty() ? List.of() : parseAll(expressions);
        TreeSet<String> out = new TreeSet<>();
        readLock.lock();
        try {
            TreeSet<String> candidates = new TreeSet<>(tags.keySet());
            if (!plain.isEmpty()) {
                candidates.add(TaggedName.NAME_TAG);
            }
            RoaringBitmap matched = exprs.isEmpty() ? null : evaluate(exprs);
            Set<String> searched = new HashSet<>();
            for (TagExpression e : exprs) {
                searched.add(e.tag());
            }
            for (String tag : candidates.tailSet(pre)) {
                if (!tag.startsWith(pre) || out.size() >= limit) {
                    break;
                }
                if (matched != null && (searched.contains(tag) || !hasTag(tag, matched))) {
                    continue;
                }
                out.add(tag);
            }
        } finally {
            readLock.unlock();
        }
        return List.copyOf(out);
    }

    /**
     * Values of {@code tag} for auto-completion, sorted, at most {@code limit}: all values starting with
     * {@code prefix}, or with expressions, the values carried by the matching series (graphite-web semantics).
     */
    public List<String> tagValues(String tag, String prefix, List<String> expressions, int limit) {
        String pre = prefix == null ? "" : prefix;
        List<TagExpression> exprs = expressions == null || expressions.isEmpty() ? List.of() : parseAll(expressions);
        Bounded out = new Bounded(limit);
        if (limit <= 0) {
            return List.of();
        }
        readLock.lock();
        try {
            boolean isName = tag.equals(TaggedName.NAME_TAG);
            TagPostings tp = tags.get(tag);
            RoaringBitmap matched = null;
            if (!exprs.isEmpty()) {
                matched = evaluate(exprs);
                if (!isName) {
                    matched.and(tp == null ? new RoaringBitmap() : tp.has);
                }
                if (matched.isEmpty()) {
                    return List.of();
                }
            }
            int distinct = (tp == null ? 0 : tp.values.size()) + (isName ? plain.getCardinality() : 0);
            if (matched != null && matched.getCardinality() < distinct) {
                IntIterator it = matched.getIntIterator();
                while (it.hasNext()) {
                    String v = tagValueOf(it.next(), tag);
                    if (!v.isEmpty() && v.startsWith(pre)) {
                        out.offer(v);
                    }
                }
            } else {
                if (tp != null) {
                    for (int slot = 0; slot < tp.values.capacity(); slot++) {
                        String v = tp.values.keyAt(slot);
                        if (v != null && v.startsWith(pre) && (matched == null || tp.values.intersectsAt(slot, matched))
                                && out.wants(v)) {
                            out.offer(v);
                        }
                    }
                }
                if (isName) {
                    plainNamesWithPrefix(pre, matched, out);
                }
            }
        } finally {
            readLock.unlock();
        }
        return out.toList();
    }

    /** A sorted set that keeps only the {@code limit} smallest strings offered. */
    private static final class Bounded {
        private final int limit;
        private final TreeSet<String> set = new TreeSet<>();

        Bounded(int limit) {
            this.limit = limit;
        }

        boolean wants(CharSequence v) {
            return set.size() < limit || CharSequence.compare(v, set.last()) < 0;
        }

        void offer(String v) {
            if (set.add(v) && set.size() > limit) {
                set.pollLast();
            }
        }

        List<String> toList() {
            return List.copyOf(set);
        }
    }

    /** Offers the plain names starting with {@code prefix} (among {@code only} when not null). */
    private void plainNamesWithPrefix(String prefix, RoaringBitmap only, Bounded out) {
        int lastDot = prefix.lastIndexOf('.');
        Node base = lastDot < 0 ? root : lookup(prefix.substring(0, lastDot));
        if (base == null) {
            return;
        }
        String rest = prefix.substring(lastDot + 1);
        StringBuilder sb = new StringBuilder(128);
        if (base != root) {
            sb.append(prefix, 0, lastDot);
        }
        for (Node c : base.children()) {
            if (c.name.startsWith(rest)) {
                offerPlainLeaves(c, sb, only, out);
            }
        }
    }

    private void offerPlainLeaves(Node n, StringBuilder sb, RoaringBitmap only, Bounded out) {
        int mark = sb.length();
        if (mark > 0) {
            sb.append('.');
        }
        sb.append(n.name);
        int id = n.leafId;
        if (id >= 0 && isPlain(id) && (only == null || only.contains(id)) && out.wants(sb)) {
            out.offer(sb.toString());
        }
        n.forEachChild(c -> offerPlainLeaves(c, sb, only, out));
        sb.setLength(mark);
    }

    private boolean hasTag(String tag, RoaringBitmap ids) {
        if (tag.equals(TaggedName.NAME_TAG)) {
            return !ids.isEmpty();
        }
        TagPostings tp = tags.get(tag);
        return tp != null && RoaringBitmap.intersects(tp.has, ids);
    }

    private List<TagExpression> parseAll(List<String> expressions) {
        if (expressions == null || expressions.isEmpty()) {
            throw new IllegalArgumentException("at least one tag expression is required (tag=value, tag!=value, "
                    + "tag=~regex or tag!=~regex)");
        }
        List<TagExpression> out = new ArrayList<>(expressions.size());
        boolean selective = false;
        for (String e : expressions) {
            TagExpression te = exprCache.get(e == null ? "" : e, TagExpression::parse);
            selective |= !te.matchesEmpty();
            out.add(te);
        }
        if (!selective) {
            throw new IllegalArgumentException("at least one tag expression must require a non-empty value; "
                    + expressions + " all match series without the tag");
        }
        return out;
    }

    /** ANDs the expressions: selective ones first, then per-series checks once few candidates remain. */
    private RoaringBitmap evaluate(List<TagExpression> exprs) {
        List<TagExpression> order = new ArrayList<>(exprs);
        order.sort(Comparator.comparingInt(SeriesIndex::rank));
        RoaringBitmap r = null;
        for (TagExpression e : order) {
            if (r == null) {
                r = evaluateOne(e);
            } else if (r.isEmpty()) {
                break;
            } else if (r.getCardinality() <= FILTER_THRESHOLD) {
                RoaringBitmap kept = new RoaringBitmap();
                IntIterator it = r.getIntIterator();
                while (it.hasNext()) {
                    int id = it.next();
                    if (e.test(tagValueOf(id, e.tag()))) {
                        kept.add(id);
                    }
                }
                r = kept;
            } else {
                r.and(evaluateOne(e));
            }
        }
        return r == null ? new RoaringBitmap() : r;
    }

    private static int rank(TagExpression e) {
        if (e.matchesEmpty()) {
            return 3;
        }
        return switch (e.operator()) {
            case EQ -> 0;
            case MATCH -> 1;
            case NE, NOT_MATCH -> 2;
        };
    }

    /** A fresh bitmap of the series satisfying one expression (a missing tag reads as ""). */
    private RoaringBitmap evaluateOne(TagExpression e) {
        String tag = e.tag();
        boolean isName = tag.equals(TaggedName.NAME_TAG);
        TagPostings tp = tags.get(tag);
        return switch (e.operator()) {
            case EQ -> equalTo(tag, e.value(), tp, isName);
            case NE -> {
                RoaringBitmap r = all.clone();
                r.andNot(equalTo(tag, e.value(), tp, isName));
                yield r;
            }
            case MATCH -> {
                RoaringBitmap r = regexHits(e, tp, isName).clone();
                if (e.matchesEmpty()) {
                    r.or(lacking(tp, isName));
                }
                yield r;
            }
            case NOT_MATCH -> {
                RoaringBitmap r = all.clone();
                r.andNot(regexHits(e, tp, isName));
                if (!e.matchesEmpty()) {
                    r.andNot(lacking(tp, isName));
                }
                yield r;
            }
        };
    }

    private RoaringBitmap equalTo(String tag, String value, TagPostings tp, boolean isName) {
        if (value.isEmpty()) {
            return lacking(tp, isName);
        }
        RoaringBitmap r = tp == null ? new RoaringBitmap() : tp.values.copy(value);
        if (isName && !TaggedName.isTagged(value)) {
            Node n = lookup(value);
            if (n != null && isPlain(n.leafId)) {
                r.add(n.leafId);
            }
        }
        return r;
    }

    /** Series without the tag (never any for {@code name}: every series has one). */
    private RoaringBitmap lacking(TagPostings tp, boolean isName) {
        if (isName) {
            RoaringBitmap r = all.clone();
            if (tp != null) {
                r.andNot(tp.has);
            }
            r.andNot(plain);
            return r;
        }
        RoaringBitmap r = all.clone();
        if (tp != null) {
            r.andNot(tp.has);
        }
        return r;
    }

    /**
     * Series whose value of the tag matches the regex (series lacking the tag excluded). Cached per generation;
     * the returned bitmap is shared: callers must not modify it.
     */
    private RoaringBitmap regexHits(TagExpression e, TagPostings tp, boolean isName) {
        String key = e.tag() + '\u0000' + e.value();
        CachedIds cached = regexHits.getIfPresent(key);
        if (cached != null && cached.generation == generation) {
            return cached.ids;
        }
        Matcher m = e.newMatcher();
        RoaringBitmap r = new RoaringBitmap();
        if (tp != null) {
            for (int slot = 0; slot < tp.values.capacity(); slot++) {
                String v = tp.values.keyAt(slot);
                if (v != null && m.reset(v).lookingAt()) {
                    tp.values.orInto(slot, r);
                }
            }
        }
        if (isName) {
            StringBuilder sb = new StringBuilder(128);
            for (Node c : root.children()) {
                regexWalk(c, sb, m, r);
            }
        }
        r.runOptimize();
        regexHits.put(key, new CachedIds(generation, r));
        return r;
    }

    /**
     * Depth-first regex over plain names. {@code hitEnd() == false} after a match attempt on a prefix means no
     * longer input could change the outcome, so the whole subtree matches (or fails) with it.
     */
    private void regexWalk(Node n, StringBuilder sb, Matcher m, RoaringBitmap out) {
        int mark = sb.length();
        if (mark > 0) {
            sb.append('.');
        }
        sb.append(n.name);
        m.reset(sb);
        boolean found = m.lookingAt();
        boolean couldChange = m.hitEnd();
        if (found && !couldChange) {
            addPlainLeaves(n, out);
        } else if (couldChange) {
            if (found && isPlain(n.leafId)) {
                out.add(n.leafId);
            }
            for (Node c : n.children()) {
                regexWalk(c, sb, m, out);
            }
        }
        sb.setLength(mark);
    }

    private void addPlainLeaves(Node top, RoaringBitmap out) {
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(top);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            if (isPlain(n.leafId)) {
                out.add(n.leafId);
            }
            n.forEachChild(stack::push);
        }
    }

    /** The value of {@code tag} on series {@code id}, "" when it lacks the tag. */
    private String tagValueOf(int id, String tag) {
        Object entry = byId[id];
        if (entry instanceof Node n) {
            return tag.equals(TaggedName.NAME_TAG) ? pathOf(n) : "";
        }
        String canonical = entry instanceof TaggedEntry t ? t.name : (String) entry;
        return TaggedName.valueOf(canonical, tag);
    }

    private static void checkLimit(long count, int limit, String what, String setting) {
        if (count > limit) {
            throw new LimitExceededException(what, limit, setting);
        }
    }

    // =============================================================================================================
    // Diagnostics

    /** Approximate heap bytes of the postings (bitmaps and dictionaries), for memory reports. */
    long estimatedPostingBytes() {
        readLock.lock();
        try {
            long bytes = 0;
            for (PostingDict d : byDepth) {
                bytes += d.estimatedBytes();
            }
            for (RoaringBitmap b : byLength) {
                bytes += b.getLongSizeInBytes();
            }
            for (TagPostings tp : tags.values()) {
                bytes += tp.values.estimatedBytes() + tp.has.getLongSizeInBytes();
            }
            return bytes + taggedIds.estimatedBytes() + all.getLongSizeInBytes() + plain.getLongSizeInBytes();
        } finally {
            readLock.unlock();
        }
    }
}
