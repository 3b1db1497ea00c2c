package io.tally.query.federation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tally.engine.api.FindNode;
import io.tally.engine.api.LimitExceededException;
import io.tally.engine.api.SeriesData;
import io.tally.engine.api.StorageReader;
import io.tally.engine.index.GlobPattern;
import io.tally.engine.index.TagExpression;
import io.tally.engine.name.MetricName;
import io.tally.engine.util.Clock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.engine.util.RateLimitedLog;
import io.tally.query.HttpExtension;
import io.tally.query.QueryLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cross-region queries: this node's view of the other regions' Tally nodes (docs/FEDERATION.md).
 *
 * <p>Addressing. Under the root node ({@code federation.root}, default {@code regions}) every region appears as a
 * branch: {@code regions.<region>.<path>} is {@code <path>} in that region, this node's own region included (served
 * from local storage without HTTP). A glob in the region level fans out to every matching region. Tagged series
 * fetched through a {@code region=} expression of {@code seriesByTag} carry the tag {@code region=<name>}. Names keep
 * the region, so same-named series of two regions are never merged. Local names are unchanged; a local series whose
 * first node is the root name is shadowed at the top level (still reachable below the own region's node).
 *
 * <p>Evaluation stays here: peers are asked only for find results and raw series through their peer endpoints
 * ({@link FederationEndpoints}), which read local storage only, so requests never loop. One {@link Call} per client
 * request: it launches the requests to all matching peers at once (asynchronous {@link HttpClient} on a small
 * bounded executor of its own), serves the own region meanwhile, then waits for each peer at most
 * {@code federation.timeout}. A peer that fails, times out, refuses the secret or is skipped by its
 * {@link CircuitBreaker} is recorded in {@link Call#missing()} with a short reason, counted in Tally's metrics and
 * logged at a limited rate; what the others returned is still used.
 *
 * <p>Caching (Caffeine, bounded by bytes): remote find answers for {@code federation.find-cache-ttl}; remote series
 * for closed windows ({@code until} at least {@value #CLOSED_AFTER_SECONDS} s before the request's {@code now}),
 * keyed by the window and {@code now} in {@value #CLOSED_AFTER_SECONDS}-second buckets (whisper picks the archive
 * from {@code now - from}).
 *
 * <p>Threading: {@link Call} methods block and run on the query worker pool, never on an event loop; the instance
 * is thread-safe and shared by all requests.
 */
public final class Federation implements AutoCloseable {
    /** Windows ending this long before "now" are considered closed and cacheable. */
    public static final long CLOSED_AFTER_SECONDS = 600;
    private static final Logger LOG = LoggerFactory.getLogger(Federation.class);
    private static final long GRACE_MILLIS = 250;

    /**
     * Another region's Tally: its name, base URL ({@code http(s)://host:port}) and its own call timeout (null: the
     * federation's {@code timeout}).
     */
    public record Peer(String region, URI url, Duration timeout) {
        public Peer {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(url, "url");
            if (region.isEmpty() || region.indexOf('.') >= 0) {
                throw new IllegalArgumentException("a region name must be one path node, got '" + region + "'");
            }
        }

        public Peer(String region, URI url) {
            this(region, url, null);
        }
    }

    /**
     * @param region          this node's region
     * @param root            the first path node under which regions appear ({@code federation.root})
     * @param peers           the other regions
     * @param secret          the shared secret ({@code federation.secret})
     * @param timeout         how long one peer call may take ({@code federation.timeout})
     * @param requireComplete fail (502/504) instead of answering partially ({@code federation.require-complete})
     * @param breakerFailures consecutive failures that open a peer's circuit breaker
     * @param breakerOpen     how long an open breaker skips the peer before probing it
     * @param findCacheTtl    how long remote find answers are reused; zero disables that cache
     * @param cacheMaxBytes   most bytes the two caches hold together; zero disables both
     * @param ssl             TLS context for https peers (trusting {@code federation.ca-file}); null: JDK default
     */
    public record Settings(String region, String root, List<Peer> peers, String secret, Duration timeout,
                           boolean requireComplete, int breakerFailures, Duration breakerOpen,
                           Duration findCacheTtl, long cacheMaxBytes, SSLContext ssl) {
        public Settings {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(root, "root");
            peers = List.copyOf(peers);
            if (root.isEmpty() || root.indexOf('.') >= 0) {
                throw new IllegalArgumentException("federation.root must be one path node, got '" + root + "'");
            }
            for (Peer p : peers) {
                if (p.region().equals(region)) {
                    throw new IllegalArgumentException("peer " + p.region() + " has this node's own region name");
                }
            }
        }

        /** Defaults for the tuning knobs: 5 s timeout, breaker 3 failures / 30 s, 60 s find cache, 64 MiB. */
        public static Settings of(String region, List<Peer> peers, String secret) {
            return new Settings(region, "regions", peers, secret, Duration.ofSeconds(5), false, 3,
                    Duration.ofSeconds(30), Duration.ofSeconds(60), 64L << 20, null);
        }

        @Override
        public String toString() {
            return "Federation.Settings[region=" + region + ", root=" + root + ", peers=" + peers + ", secret=***"
                    + ", timeout=" + timeout + ", requireComplete=" + requireComplete + "]";
        }
    }

    private record FindKey(String region, String pattern) {
    }

    private record FetchKey(String region, String query, long from, long until, long nowBucket) {
    }

    /** Per-peer counters in Tally's metrics ({@code federation.peer.<region>.*}). */
    private record PeerCounters(LongAdder requests, LongAdder failures, LongAdder timeouts, LongAdder skipped) {
    }

    private final Settings settings;
    private final StorageReader local;
    private final QueryLimits limits;
    private final Clock clock;
    private final PeerAuth auth;
    private final Map<String, PeerClient> peers = new TreeMap<>();
    private final Map<String, PeerCounters> counters = new TreeMap<>();
    private final List<String> regions;
    private final ExecutorService executor;
    private final HttpClient http;
    private final Cache<FindKey, List<FindNode>> findCache;
    private final Cache<FetchKey, List<SeriesData>> fetchCache;
    private final LongAdder partialAnswers;
    private final LongAdder cacheHits;
    private final LongAdder cacheMisses;
    private final LongAdder served;
    private final LongAdder refused;
    private final RateLimitedLog partialLog;

    public Federation(Settings settings, StorageReader local, QueryLimits limits, Clock clock,
                      MetricsRegistry metrics) {
        this.settings = settings;
        this.local = local;
        this.limits = limits;
        this.clock = clock;
        this.auth = new PeerAuth(settings.secret(), clock);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(Math.max(2, Math.min(8, 2 * settings.peers().size())), r -> {
            Thread t = new Thread(r, "tally-federation-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout()).followRedirects(HttpClient.Redirect.NEVER).executor(executor);
        if (settings.ssl() != null) {
            b.sslContext(settings.ssl());
        }
        this.http = b.build();
        TreeSet<String> all = new TreeSet<>();
        all.add(settings.region());
        for (Peer p : settings.peers()) {
            all.add(p.region());
            peers.put(p.region(), new PeerClient(p, settings.region(), http, auth,
                    new CircuitBreaker(clock, settings.breakerFailures(), settings.breakerOpen().toMillis()),
                    timeoutOf(p), clock));
            String m = "federation.peer." + p.region().replace('.', '_') + ".";
            counters.put(p.region(), new PeerCounters(metrics.counter(m + "requests"),
                    metrics.counter(m + "failures"), metrics.counter(m + "timeouts"), metrics.counter(m + "skipped")));
        }
        this.regions = List.copyOf(all);
        long half = settings.cacheMaxBytes() / 2;
        this.findCache = Caffeine.newBuilder()
                .maximumWeight(settings.findCacheTtl().isZero() ? 0 : half)
                .expireAfterWrite(settings.findCacheTtl().isZero() ? Duration.ofMillis(1) : settings.findCacheTtl())
                .weigher((FindKey k, List<FindNode> v) -> weighFind(k, v)).build();
        this.fetchCache = Caffeine.newBuilder().maximumWeight(half)
                .expireAfterWrite(Duration.ofSeconds(CLOSED_AFTER_SECONDS))
                .weigher((FetchKey k, List<SeriesData> v) -> weighFetch(k, v)).build();
        this.partialAnswers = metrics.counter("federation.partial-answers");
        this.cacheHits = metrics.counter("federation.cache.hits");
        this.cacheMisses = metrics.counter("federation.cache.misses");
        this.served = metrics.counter("federation.peer-requests.served");
        this.refused = metrics.counter("federation.peer-requests.refused");
        this.partialLog = new RateLimitedLog(LOG, 5, 60_000, clock);
    }

    public Settings settings() {
        return settings;
    }

    /** All regions, this node's included, sorted. */
    public List<String> regions() {
        return regions;
    }

    public boolean requireComplete() {
        return settings.requireComplete();
    }

    /**
     * The peer endpoints this node answers ({@code /federation/v1/find}, {@code /fetch}) and the unauthenticated,
     * read-only {@code /federation/v1/status}, to mount on the HTTP server.
     */
    public HttpExtension endpoints() {
        FederationEndpoints peerEndpoints = new FederationEndpoints(local, limits, clock, auth, served, refused);
        FederationStatus status = new FederationStatus(this);
        return (router, host) -> {
            peerEndpoints.mount(router, host);
            status.mount(router, host);
        };
    }

    /**
     * What this node knows of one peer, for {@code GET /federation/v1/status}: its region, its address without
     * credentials, query or fragment, its breaker state, and the latest answer and failure (epoch milliseconds, 0:
     * none yet; {@code lastError} null: none).
     */
    public record PeerStatus(String region, String url, CircuitBreaker.State state, long lastOkAt, long lastErrorAt,
                             String lastError) {
    }

    /** Every peer's status, sorted by region. */
    public List<PeerStatus> peerStatus() {
        List<PeerStatus> out = new ArrayList<>(peers.size());
        for (PeerClient c : peers.values()) {
            PeerClient.Health h = c.health();
            out.add(new PeerStatus(c.peer().region(), publicUrl(c.peer().url()), c.breaker().state(), h.lastOkAt(),
                    h.lastErrorAt(), h.lastError()));
        }
        return out;
    }

    /** {@code scheme://host:port/path} of a peer URL: user info, query and fragment are left out. */
    static String publicUrl(URI url) {
        StringBuilder b = new StringBuilder();
        b.append(url.getScheme()).append("://").append(url.getHost());
        if (url.getPort() >= 0) {
            b.append(':').append(url.getPort());
        }
        String path = url.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            b.append(path);
        }
        return b.toString();
    }

    /** The circuit breaker state of a peer (for tests and diagnostics), or null for an unknown region. */
    public CircuitBreaker.State breakerState(String region) {
        PeerClient c = peers.get(region);
        return c == null ? null : c.breaker().state();
    }

    /** Starts the federated part of one client request. */
    public Call call() {
        return new Call();
    }

    @Override
    public void close() {
        http.shutdownNow();
        executor.shutdownNow();
    }

    // ---- one request ----

    /**
     * The federated part of one client request: finds and fetches under the root, and which regions were missing.
     * Used by one request (one worker thread at a time); {@link #missing()} is safe to read from any thread.
     */
    public final class Call {
        private final Map<String, String> missing = new ConcurrentSkipListMap<>();

        private Call() {
        }

        /** Regions whose answer is missing, with the reason ({@code timeout}, {@code unauthorized}, ...), sorted. */
        public Map<String, String> missing() {
            return Collections.unmodifiableMap(missing);
        }

        /** True when the path pattern's first node matches the root name (the pattern reaches into regions). */
        public boolean claimsPath(String pattern) {
            int d = firstDot(pattern, 0);
            return GlobPattern.compile(d < 0 ? pattern : pattern.substring(0, d)).matches(settings.root());
        }

        /** True when one of the seriesByTag expressions is about the {@code region} tag. */
        public boolean claimsTags(List<String> expressions) {
            for (String e : expressions) {
                if (isRegionExpression(e)) {
                    return true;
                }
            }
            return false;
        }

        /** True for a local name that the federation shadows (its first node is the root). */
        public boolean shadowed(String path) {
            return path.equals(settings.root()) || path.startsWith(settings.root() + ".");
        }

        /**
         * Graphite find over local storage and the regions: local nodes (without shadowed ones) plus, when the
         * first node matches the root, the root branch, the region branches, or the regions' nodes below.
         */
        public List<FindNode> find(String pattern, int limit) {
            List<FindNode> out = new ArrayList<>();
            int d0 = firstDot(pattern, 0);
            GlobPattern first = GlobPattern.compile(d0 < 0 ? pattern : pattern.substring(0, d0));
            boolean reachesRoot = first.matches(settings.root());
            if (!(reachesRoot && first.isLiteral())) {
                for (FindNode n : local.find(pattern, limit)) {
                    if (!shadowed(n.path())) {
                        out.add(n);
                    }
                }
            }
            if (reachesRoot) {
                String root = settings.root();
                if (d0 < 0) {
                    out.add(new FindNode(root, false));
                } else {
                    int d1 = firstDot(pattern, d0 + 1);
                    List<String> matched = regionsMatching(d1 < 0 ? pattern.substring(d0 + 1)
                            : pattern.substring(d0 + 1, d1));
                    if (d1 < 0) {
                        for (String r : matched) {
                            out.add(new FindNode(root + "." + r, false));
                        }
                    } else {
                        String rest = pattern.substring(d1 + 1);
                        gatherFind(matched, rest, limit).forEach((r, nodes) -> {
                            for (FindNode n : nodes) {
                                out.add(new FindNode(root + "." + r + "." + n.path(), n.leaf()));
                            }
                        });
                    }
                }
            }
            if (out.size() > limit) {
                throw new LimitExceededException("nodes matched by the query", limit, "query.max-find-results");
            }
            out.sort(null);
            return out;
        }

        /**
         * The series under the root matching a path pattern, renamed {@code <root>.<region>.<name>}, sorted by name
         * (only the federated part: the caller reads local, non-shadowed series itself).
         */
        public List<SeriesData> fetch(String pattern, long from, long until, long now, int maxSeries) {
            int d0 = firstDot(pattern, 0);
            int d1 = d0 < 0 ? -1 : firstDot(pattern, d0 + 1);
            if (d1 < 0) {
                return List.of(); // the root and the region nodes are branches
            }
            List<String> matched = regionsMatching(pattern.substring(d0 + 1, d1));
            String rest = pattern.substring(d1 + 1);
            Map<String, List<SeriesData>> per = gatherFetch(matched, rest, List.of(), from, until, now, maxSeries);
            List<SeriesData> out = new ArrayList<>();
            per.forEach((r, list) -> {
                for (SeriesData d : list) {
                    out.add(rename(d, settings.root() + "." + r + "." + d.name()));
                }
            });
            out.sort((a, b) -> a.name().compareTo(b.name()));
            return out;
        }

        /**
         * The series of the regions selected by the {@code region} expressions that match the other expressions,
         * each with the tag {@code region=<name>}, sorted by name.
         *
         * @throws IllegalArgumentException when only region expressions are given (that would match everything)
         */
        public List<SeriesData> fetchByTags(List<String> expressions, long from, long until, long now,
                                            int maxSeries) {
            List<TagExpression> regionExprs = new ArrayList<>();
            List<String> others = new ArrayList<>();
            for (String e : expressions) {
                if (isRegionExpression(e)) {
                    regionExprs.add(TagExpression.parse(e));
                } else {
                    others.add(e);
                }
            }
            if (others.isEmpty()) {
                throw new IllegalArgumentException("seriesByTag needs at least one expression besides region "
                        + "expressions, e.g. seriesByTag('region=eu', 'name=cpu.load')");
            }
            List<String> matched = new ArrayList<>();
            for (String r : regions) {
                boolean all = true;
                for (TagExpression t : regionExprs) {
                    all &= t.test(r);
                }
                if (all) {
                    matched.add(r);
                }
            }
            Map<String, List<SeriesData>> per = gatherFetch(matched, null, others, from, until, now, maxSeries);
            List<SeriesData> out = new ArrayList<>();
            per.forEach((r, list) -> {
                for (SeriesData d : list) {
                    out.add(rename(d, withRegionTag(d.name(), r)));
                }
            });
            out.sort((a, b) -> a.name().compareTo(b.name()));
            return out;
        }

        /**
         * A {@link StorageReader} for the metrics and tags APIs: {@code find} is federated as {@link #find}; the
         * tag autocompletion knows the {@code region} tag and its values; everything else is local.
         */
        public StorageReader reader() {
            return new StorageReader() {
                @Override
                public List<FindNode> find(String pattern, int limit) {
                    return Call.this.find(pattern, limit);
                }

                @Override
                public List<String> findByTags(List<String> expressions, int limit) {
                    return local.findByTags(expressions, limit);
                }

                @Override
                public List<String> tagNames(String prefix, List<String> expressions, int limit) {
                    TreeSet<String> names = new TreeSet<>(local.tagNames(prefix, expressions, limit));
                    if ("region".startsWith(prefix == null ? "" : prefix)) {
                        names.add("region");
                    }
                    return first(names, limit);
                }

                @Override
                public List<String> tagValues(String tag, String prefix, List<String> expressions, int limit) {
                    if (!"region".equals(tag)) {
                        return local.tagValues(tag, prefix, expressions, limit);
                    }
                    TreeSet<String> values = new TreeSet<>();
                    for (String r : regions) {
                        if (prefix == null || r.startsWith(prefix)) {
                            values.add(r);
                        }
                    }
                    return first(values, limit);
                }

                @Override
                public io.tally.engine.api.SeriesData fetch(String name, long from, long until, long now) {
                    return local.fetch(name, from, until, now);
                }

                @Override
                public List<io.tally.engine.api.SeriesData> fetchAll(List<String> names, long from, long until,
                                                                     long now, FetchListener listener) {
                    return local.fetchAll(names, from, until, now, listener);
                }

                @Override
                public int seriesCount() {
                    return local.seriesCount();
                }
            };
        }

        private Map<String, List<FindNode>> gatherFind(List<String> matched, String rest, int limit) {
            Map<String, CompletableFuture<List<FindNode>>> remote = new LinkedHashMap<>();
            for (String r : matched) {
                PeerClient peer = peers.get(r);
                if (peer == null) {
                    continue;
                }
                FindKey key = new FindKey(r, rest);
                List<FindNode> cached = findCache.getIfPresent(key);
                if (cached != null) {
                    cacheHits.increment();
                    remote.put(r, CompletableFuture.completedFuture(cached));
                    continue;
                }
                cacheMisses.increment();
                counters.get(r).requests().increment();
                remote.put(r, peer.find(rest, limit).thenApply(nodes -> {
                    findCache.put(key, nodes);
                    return nodes;
                }));
            }
            Map<String, List<FindNode>> out = new TreeMap<>();
            if (matched.contains(settings.region())) {
                out.put(settings.region(), local.find(rest, limit));
            }
            remote.forEach((r, f) -> {
                List<FindNode> nodes = await(r, f, timeoutOf(peers.get(r).peer()));
                if (nodes != null) {
                    out.put(r, nodes);
                }
            });
            return out;
        }

        /** Either {@code pattern} (a path below the region) or tag {@code expressions}. */
        private Map<String, List<SeriesData>> gatherFetch(List<String> matched, String pattern,
                                                         List<String> expressions, long from, long until,
                                                         long now, int maxSeries) {
            boolean closed = until <= now - CLOSED_AFTER_SECONDS;
            String query = pattern != null ? "p:" + pattern : "t:" + String.join("\u0001", expressions);
            Map<String, CompletableFuture<List<SeriesData>>> remote = new LinkedHashMap<>();
            for (String r : matched) {
                PeerClient peer = peers.get(r);
                if (peer == null) {
                    continue;
                }
                FetchKey key = new FetchKey(r, query, from, until, Math.floorDiv(now, CLOSED_AFTER_SECONDS));
                List<SeriesData> cached = closed ? fetchCache.getIfPresent(key) : null;
                if (cached != null) {
                    cacheHits.increment();
                    remote.put(r, CompletableFuture.completedFuture(copy(cached)));
                    continue;
                }
                if (closed) {
                    cacheMisses.increment();
                }
                counters.get(r).requests().increment();
                remote.put(r, peer.fetch(pattern, expressions, from, until, now, maxSeries).thenApply(list -> {
                    if (closed) {
                        fetchCache.put(key, list);
                    }
                    return list;
                }));
            }
            Map<String, List<SeriesData>> out = new TreeMap<>();
            if (matched.contains(settings.region())) {
                out.put(settings.region(), localFetch(pattern, expressions, from, until, now, maxSeries));
            }
            remote.forEach((r, f) -> {
                List<SeriesData> list = await(r, f, timeoutOf(peers.get(r).peer()));
                if (list != null) {
                    out.put(r, list);
                }
            });
            return out;
        }

        private List<SeriesData> localFetch(String pattern, List<String> expressions, long from, long until,
                                            long now, int maxSeries) {
            List<String> names = new ArrayList<>();
            if (pattern != null) {
                for (FindNode n : local.find(pattern, limits.maxFindResults())) {
                    if (n.leaf()) {
                        names.add(n.path());
                    }
                }
            } else {
                names.addAll(local.findByTags(expressions, maxSeries + 1));
            }
            if (names.size() > maxSeries) {
                throw new LimitExceededException("series matched by the targets", maxSeries, "query.max-series");
            }
            List<SeriesData> out = new ArrayList<>(names.size());
            for (String n : names) {
                SeriesData d = local.fetch(n, from, until, now);
                if (d != null) {
                    out.add(d);
                }
            }
            return out;
        }

        /** The peer's answer, or null with the region recorded as missing. */
        private <T> T await(String region, CompletableFuture<T> f, Duration timeout) {
            try {
                return f.get(timeout.toMillis() + GRACE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                markMissing(region, "timeout", "no answer within " + timeout + " (federation.timeout)");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof PeerException p) {
                    markMissing(region, p.reason(), p.getMessage());
                } else {
                    markMissing(region, "error", String.valueOf(e.getCause()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                markMissing(region, "interrupted", "the request was interrupted");
            }
            return null;
        }

        private void markMissing(String region, String reason, String detail) {
            if (missing.isEmpty()) {
                partialAnswers.increment();
            }
            missing.putIfAbsent(region, reason);
            PeerCounters c = counters.get(region);
            switch (reason) {
                case "timeout" -> c.timeouts().increment();
                case "circuit-open" -> c.skipped().increment();
                default -> c.failures().increment();
            }
            partialLog.warn("federation: region {} is missing from an answer ({}): {}", region, reason, detail);
        }
    }

    // ---- helpers ----

    private Duration timeoutOf(Peer p) {
        return p.timeout() != null ? p.timeout() : settings.timeout();
    }

    private List<String> regionsMatching(String nodePattern) {
        GlobPattern g = GlobPattern.compile(nodePattern);
        List<String> out = new ArrayList<>();
        for (String r : regions) {
            if (g.matches(r)) {
                out.add(r);
            }
        }
        return out;
    }

    private static boolean isRegionExpression(String e) {
        String s = e.strip();
        return s.startsWith("region") && s.length() > 6 && (s.charAt(6) == '=' || s.charAt(6) == '!');
    }

    private static List<String> first(TreeSet<String> values, int limit) {
        List<String> out = new ArrayList<>(Math.min(values.size(), limit));
        for (String v : values) {
            if (out.size() >= limit) {
                break;
            }
            out.add(v);
        }
        return out;
    }

    /** Index of the first '.' at or after {@code from} outside braces and brackets, or -1. */
    static int firstDot(String p, int from) {
        int braces = 0;
        boolean inSet = false;
        for (int i = from; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inSet) {
                if (c == ']') {
                    inSet = false;
                }
            } else if (c == '[') {
                inSet = true;
            } else if (c == '{') {
                braces++;
            } else if (c == '}' && braces > 0) {
                braces--;
            } else if (c == '.' && braces == 0) {
                return i;
            }
        }
        return -1;
    }

    /** {@code name} (plain or tagged) with {@code region=<region>} added to its tags, in canonical order. */
    static String withRegionTag(String name, String region) {
        Map<String, String> tags = MetricName.tags(name);
        StringBuilder b = new StringBuilder(name.length() + region.length() + 8).append(tags.get("name"));
        TreeMap<String, String> others = new TreeMap<>(tags);
        others.remove("name");
        others.put("region", region);
        others.forEach((k, v) -> b.append(';').append(k).append('=').append(v));
        return b.toString();
    }

    private static SeriesData rename(SeriesData d, String name) {
        return new SeriesData(name, d.start(), d.end(), d.step(), d.values(), d.aggregation(), d.xFilesFactor());
    }

    /** Cached series are shared; each request gets its own value arrays (functions may work in place). */
    private static List<SeriesData> copy(List<SeriesData> cached) {
        List<SeriesData> out = new ArrayList<>(cached.size());
        for (SeriesData d : cached) {
            out.add(new SeriesData(d.name(), d.start(), d.end(), d.step(), d.values().clone(), d.aggregation(),
                    d.xFilesFactor()));
        }
        return out;
    }

    private static int weighFind(FindKey k, List<FindNode> v) {
        long w = 64 + 2L * k.pattern().length();
        for (FindNode n : v) {
            w += 48 + 2L * n.path().length();
        }
        return (int) Math.min(Integer.MAX_VALUE, w);
    }

    private static int weighFetch(FetchKey k, List<SeriesData> v) {
        long w = 96 + 2L * k.query().length();
        for (SeriesData d : v) {
            w += 96 + 2L * d.name().length() + 8L * d.values().length;
        }
        return (int) Math.min(Integer.MAX_VALUE, w);
    }
}
