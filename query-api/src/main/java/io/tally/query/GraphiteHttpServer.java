package io.tally.query;

import io.tally.engine.api.LimitExceededException;
import io.tally.engine.api.StorageReader;
import io.tally.engine.util.Clock;
import io.tally.engine.util.LatencyTimer;
import io.tally.engine.util.MetricsRegistry;
import io.tally.query.expr.ExpressionException;
import io.tally.query.expr.Series;
import io.tally.query.federation.Federation;
import io.tally.query.federation.IncompleteAnswerException;
import io.tally.query.functions.FunctionRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Graphite HTTP API as a Vert.x verticle: {@code /render} (target expressions with the render function
 * library; {@code format=json}, {@code csv}, {@code raw}, {@code pickle}, {@code msgpack}, and the pictures
 * {@code png} and {@code svg}, see {@link RenderOutput}),
 * {@code /metrics/find} (alias {@code /metrics}), {@code /metrics/expand},
 * {@code /metrics/index.json}, the tags API ({@code /tags}, {@code /tags/<tag>}, {@code /tags/findSeries},
 * {@code /tags/autoComplete/tags}, {@code /tags/autoComplete/values}, {@code /tags/tagSeries},
 * {@code /tags/tagMultiSeries}, {@code /tags/delSeries}), {@code /functions}, {@code /functions/<name>},
 * the events API ({@code /events/get_data}, {@code POST /events}, {@code /events/<id>}; {@link EventStore}),
 * {@code /version} and {@code /health}. Every route answers with and without a trailing slash, never redirecting;
 * read routes take GET and POST (form body), except {@code /tags}, {@code /tags/<tag>} and {@code /functions}
 * (GET only, as graphite-web); the tag write routes take POST only.
 *
 * <p>Render answers are cached by {@link RenderCache} when the request has {@code cacheTimeout} or the server a
 * default ({@code query.cache-timeout}), unless {@code noCache}: cached answers carry
 * {@code Cache-Control: max-age=N}, uncached ones {@code no-cache}.
 *
 * <p>Tag writes and {@code POST /events} need the API token ({@code api.token}): without one configured they answer 403, with a missing or
 * wrong one ({@code Authorization: Bearer <token>} or a {@code token} parameter) 401. {@code /tags/delSeries}
 * answers 501: the storage API cannot delete series.
 *
 * <p>Threading: connections are spread round-robin over {@link #acceptorLoops()} event loops (this verticle's and
 * small acceptor verticles listening on the same port with the same router, whose handlers keep no per-loop state);
 * handlers run on the connection's event loop and only parse parameters and write responses; every
 * storage call and every JSON serialisation runs on the named worker pool {@code tally-query}
 * ({@code query.workers} threads), whose completion hops back to the event loop to respond. One exception: a local
 * {@code /metrics/find} with wildcards in at most one level and at most {@link MetricsApi#INLINE_FIND_LIMIT}
 * matches (Grafana's tree browsing) is answered on the event loop from the in-memory index, since the two thread
 * hand-offs would cost more than the lookup. Vert.x types stop in
 * this class: {@link Renderer}, {@link MetricsApi}, {@link FunctionsApi}, {@link RenderJson} and {@link TimeSpec}
 * are plain Java.
 *
 * <p>Errors: bad input (including a target that does not parse or evaluate) → 400 with the HTML-escaped message
 * ({@code text/html}, like graphite-web); {@code /functions} and the tags API answer JSON {@code {"error": ...}}; a
 * {@link LimitExceededException} → 422 with its message (which names the setting); anything else → 500 with a
 * short message, the exception logged. {@link #drain()} turns {@code /health} to 503 before shutdown.
 *
 * <p>Cross-region queries ({@link Federation}, optional): {@code /render}, {@code /metrics/find},
 * {@code /metrics/expand} and the tag auto-completion see the other regions under the federation root; an answer
 * that lacks regions carries {@value #PARTIAL_HEADER}{@code : <region>=<reason>, ...} (and is not cached), or fails
 * with 502/504 when completeness is required ({@code federation.require-complete} or {@code requireComplete=1}).
 * The peer endpoints ({@code /federation/v1/*}) are mounted like an extension. With {@link HttpTls} the port speaks
 * https only.
 */
public final class GraphiteHttpServer extends VerticleBase implements HttpHost {
    /** What {@code /version} answers: a graphite-web version ≥ 1.1 so Grafana enables tags and /functions. */
    public static final String GRAPHITE_VERSION = "1.1.10";
    private static final Logger LOG = LoggerFactory.getLogger(GraphiteHttpServer.class);
    private static final String BODY = "tally.body";
    private static final String JSON = "application/json";
    /** Response header naming the regions missing from a partial answer. */
    public static final String PARTIAL_HEADER = "X-Tally-Partial";

    /**
     * Where and how the server listens.
     *
     * @param host         bind address
     * @param port         port, 0 for an ephemeral one (see {@link #actualPort()})
     * @param region       this process's region, reported by {@code /health}
     * @param timeZone     default zone for time specs ({@code tz} overrides per request)
     * @param maxBodyBytes largest accepted POST body
     * @param apiToken     bearer token the write APIs require ({@code api.token}); empty: write APIs refused (403)
     * @param dataDir      where {@value EventStore#FILE_NAME} is kept ({@code data-dir}); null: events in memory only
     * @param cacheTimeout seconds a render answer is cached when the request gives no {@code cacheTimeout}
     *                     ({@code query.cache-timeout}); 0: only requests with {@code cacheTimeout} are cached
     * @param cacheMaxBytes most bytes the render cache holds; 0 disables it
     */
    public record Settings(String host, int port, String region, ZoneId timeZone, int maxBodyBytes, String apiToken,
                           Path dataDir, int cacheTimeout, long cacheMaxBytes) {
        /** The render cache's size when not configured. */
        public static final long DEFAULT_CACHE_MAX_BYTES = 64L << 20;

        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(timeZone, "timeZone");
            apiToken = apiToken == null ? "" : apiToken;
            if (cacheTimeout < 0 || cacheMaxBytes < 0) {
                throw new IllegalArgumentException("cacheTimeout and cacheMaxBytes must not be negative");
            }
        }

        /** No data directory (events in memory), no default render caching. */
        public Settings(String host, int port, String region, ZoneId timeZone, int maxBodyBytes, String apiToken) {
            this(host, port, region, timeZone, maxBodyBytes, apiToken, null, 0, DEFAULT_CACHE_MAX_BYTES);
        }

        /** Without an API token: the write APIs are refused. */
        public Settings(String host, int port, String region, ZoneId timeZone, int maxBodyBytes) {
            this(host, port, region, timeZone, maxBodyBytes, "");
        }

        /** Never shows the token. */
        @Override
        public String toString() {
            return "Settings[host=" + host + ", port=" + port + ", region=" + region + ", timeZone=" + timeZone
                    + ", maxBodyBytes=" + maxBodyBytes + ", apiToken=" + (apiToken.isEmpty() ? "none" : "***")
                    + ", dataDir=" + dataDir + ", cacheTimeout=" + cacheTimeout + ", cacheMaxBytes=" + cacheMaxBytes
                    + "]";
        }
    }

    private final Settings settings;
    private final QueryLimits limits;
    private final Clock clock;
    private final Renderer renderer;
    private final MetricsApi metricsApi;
    private final FunctionsApi functionsApi;
    private final TagsApi tagsApi;
    private final RenderCache renderCache;
    private final EventStore events;
    private final byte[] apiToken;
    private final LongAdder renderRequests;
    private final LongAdder findRequests;
    private final LongAdder tagRequests;
    private final LongAdder renderSeries;
    private final LongAdder renderCacheHits;
    private final LatencyTimer renderLatency;
    private final LatencyTimer findLatency;
    private final LongAdder eventRequests;
    private final LongAdder clientErrors;
    private final LongAdder serverErrors;
    private final List<HttpExtension> extensions;
    private final Federation federation;
    private final HttpTls tls;
    private volatile boolean draining;
    private volatile int actualPort = -1;
    private HttpServer server;
    /** Deployment id of the extra acceptor loops, or null. */
    private volatile String acceptors;
    private WorkerExecutor workers;

    public GraphiteHttpServer(StorageReader reader, Clock clock, QueryLimits limits, Settings settings,
                              MetricsRegistry metrics) {
        this(reader, clock, limits, settings, metrics, List.of());
    }

    /** With routes of other modules ({@link HttpExtension}), mounted in list order after the Graphite routes. */
    public GraphiteHttpServer(StorageReader reader, Clock clock, QueryLimits limits, Settings settings,
                              MetricsRegistry metrics, List<HttpExtension> extensions) {
        this(reader, clock, limits, settings, metrics, extensions, null, null);
    }

    /**
     * With cross-region queries through {@code federation} (null: none; its peer endpoints are mounted too) and
     * https with {@code tls} (null: plain http).
     */
    public GraphiteHttpServer(StorageReader reader, Clock clock, QueryLimits limits, Settings settings,
                              MetricsRegistry metrics, List<HttpExtension> extensions, Federation federation,
                              HttpTls tls) {
        List<HttpExtension> all = new ArrayList<>(extensions);
        if (federation != null) {
            all.add(federation.endpoints());
        }
        this.extensions = List.copyOf(all);
        this.federation = federation;
        this.tls = tls;
        this.settings = settings;
        this.limits = limits;
        this.clock = clock;
        this.renderer = new Renderer(reader, limits, clock, FunctionRegistry.standard(), federation);
        this.metricsApi = new MetricsApi(reader, limits, clock);
        this.functionsApi = new FunctionsApi(FunctionRegistry.standard());
        this.tagsApi = new TagsApi(reader, limits);
        this.renderCache = new RenderCache(clock, settings.cacheTimeout(), settings.cacheMaxBytes());
        this.events = new EventStore(settings.dataDir() == null ? null
                : settings.dataDir().resolve(EventStore.FILE_NAME), EventStore.DEFAULT_MAX_EVENTS, clock);
        this.apiToken = settings.apiToken().getBytes(StandardCharsets.UTF_8);
        this.renderRequests = metrics.counter("http.render.requests");
        this.findRequests = metrics.counter("http.find.requests");
        this.tagRequests = metrics.counter("http.tags.requests");
        this.renderSeries = metrics.counter("http.render.series");
        this.renderCacheHits = metrics.counter("http.render.cache-hits");
        this.renderLatency = metrics.timer("http.render.latency_ms");
        this.findLatency = metrics.timer("http.find.latency_ms");
        this.eventRequests = metrics.counter("http.events.requests");
        this.clientErrors = metrics.counter("http.errors.4xx");
        this.serverErrors = metrics.counter("http.errors.5xx");
    }

    @Override
    public Future<?> start() {
        long maxExecuteMillis = limits.timeout().toMillis() + 10_000;
        workers = vertx.createSharedWorkerExecutor("tally-query", limits.workers(), maxExecuteMillis,
                TimeUnit.MILLISECONDS);
        HttpServerOptions options = new HttpServerOptions()
                .setCompressionSupported(true)
                .setDecompressionSupported(true);
        if (tls != null) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(tls.certPem().toString()).setKeyPath(tls.keyPem().toString()));
        }
        server = vertx.createHttpServer(options);
        Router router = router();
        return workers.executeBlocking(events::load, false)
                .compose(n -> server.requestHandler(router).listen(listenPort(), settings.host()))
                .compose(s -> deployAcceptors(options, router, listenPort()))
                .onSuccess(v -> actualPort = server.actualPort());
    }

    /**
     * The port to listen on: the configured one, or for 0 (any free port) a negative port of this server's own:
     * Vert.x binds servers that listen on the same negative port to one shared random port, so the acceptor loops
     * join this server's ephemeral port, and another server in the same Vert.x instance gets a port of its own.
     */
    private int listenPort() {
        return settings.port() == 0 ? sharedRandomPort : settings.port();
    }

    private static final java.util.concurrent.atomic.AtomicInteger RANDOM_PORT_KEYS =
            new java.util.concurrent.atomic.AtomicInteger();
    private final int sharedRandomPort = -1 - Math.floorMod(RANDOM_PORT_KEYS.getAndIncrement(), 60_000);

    /** Event loops that accept HTTP connections: one per core, at most four. */
    static int acceptorLoops() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * More event loops for the same port: small verticles that listen on the bound port with the one router (its
     * handlers are thread-safe and keep no per-loop state), so Vert.x spreads connections over them round-robin
     * instead of serving every connection from this verticle's single loop.
     */
    private Future<Void> deployAcceptors(HttpServerOptions options, Router router, int port) {
        int extra = acceptorLoops() - 1;
        if (extra <= 0) {
            return Future.succeededFuture();
        }
        return vertx.deployVerticle(() -> new Acceptor(options, router, settings.host(), port),
                        new DeploymentOptions().setInstances(extra))
                .onSuccess(id -> acceptors = id)
                .mapEmpty();
    }

    /** One more event loop serving the shared router on the server's port. */
    private static final class Acceptor extends VerticleBase {
        private final HttpServerOptions options;
        private final Router router;
        private final String host;
        private final int port;

        Acceptor(HttpServerOptions options, Router router, String host, int port) {
            this.options = options;
            this.router = router;
            this.host = host;
            this.port = port;
        }

        @Override
        public Future<?> start() {
            return vertx.createHttpServer(new HttpServerOptions(options)).requestHandler(router).listen(port, host);
        }
    }

    @Override
    public Future<?> stop() {
        actualPort = -1;
        Future<Void> undeployed = acceptors == null ? Future.succeededFuture()
                : vertx.undeploy(acceptors).recover(t -> Future.succeededFuture());
        Future<Void> closed = undeployed.compose(v -> server == null ? Future.succeededFuture() : server.close());
        return closed.eventually(() -> workers == null ? Future.succeededFuture() : workers.close());
    }

    /** The bound port once {@link #start()} has succeeded, else -1. */
    public int actualPort() {
        return actualPort;
    }

    /** From now on {@code /health} answers 503 "draining"; everything else keeps working. */
    public void drain() {
        draining = true;
    }

    public boolean isDraining() {
        return draining;
    }

    // ---- what extensions see (HttpHost) ----

    @Override
    public io.vertx.core.Vertx vertx() {
        return vertx;
    }

    @Override
    public WorkerExecutor workers() {
        return workers;
    }

    @Override
    public String region() {
        return settings.region();
    }

    @Override
    public Buffer body(RoutingContext ctx) {
        return ctx.get(BODY);
    }

    @Override
    public boolean authorize(RoutingContext ctx) {
        return tokenValid(ctx, params(ctx));
    }

    @Override
    public void recordEvent(long whenSeconds, String what, String data, List<String> tags) throws IOException {
        events.add(whenSeconds, what, data, tags);
    }

    /** Records the request's time from now until its response has been written. */
    private static void timed(RoutingContext ctx, LatencyTimer timer) {
        long t0 = System.nanoTime();
        ctx.addEndHandler(v -> timer.recordNanos(System.nanoTime() - t0));
    }

    // ---- routing ----

    private Router router() {
        Router r = Router.router(vertx);
        r.route().handler(this::readBody);
        route(r, "/render", this::render);
        route(r, "/metrics/find", this::find);
        route(r, "/metrics", this::find);
        route(r, "/metrics/expand", this::expand);
        route(r, "/metrics/index.json", this::index);
        route(r, "/tags", this::tagList);
        route(r, "/tags/findSeries", this::findSeries);
        route(r, "/tags/autoComplete/tags", this::autoCompleteTags);
        route(r, "/tags/autoComplete/values", this::autoCompleteValues);
        route(r, "/tags/tagSeries", this::tagSeries);
        route(r, "/tags/tagMultiSeries", this::tagMultiSeries);
        route(r, "/tags/delSeries", this::delSeries);
        route(r, "/tags/:tag", this::tagDetails); // after the fixed /tags/... routes, which it would shadow
        route(r, "/functions", this::functions);
        for (String p : List.of("/functions/:name", "/functions/:name/")) {
            r.route(p).method(HttpMethod.GET).method(HttpMethod.POST).method(HttpMethod.HEAD)
                    .handler(this::function);
        }
        route(r, "/events/get_data", this::eventsGetData);
        route(r, "/events", this::eventsCreate);
        route(r, "/events/:id", this::eventById); // after /events/get_data, which it would shadow
        route(r, "/version", this::version);
        route(r, "/health", this::health);
        for (HttpExtension e : extensions) {
            e.mount(r, this);
        }
        r.route().failureHandler(this::failure);
        return r;
    }

    private static void route(Router r, String path, Handler<RoutingContext> handler) {
        for (String p : List.of(path, path + "/")) {
            r.route(p).method(HttpMethod.GET).method(HttpMethod.POST).method(HttpMethod.HEAD).handler(handler);
        }
    }

    /**
     * Collects a POST body (up to {@code maxBodyBytes}) without letting Vert.x decode it as a form: Grafana posts
     * {@code query=} unencoded, which a strict decoder rejects. {@link Params} decodes it leniently.
     */
    private void readBody(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        if (req.method() != HttpMethod.POST) {
            ctx.next();
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = {false};
        req.handler(chunk -> {
            if (tooLarge[0]) {
                return;
            }
            if (body.length() + chunk.length() > settings.maxBodyBytes()) {
                tooLarge[0] = true;
                respondText(ctx, 413, "request body larger than " + settings.maxBodyBytes() + " bytes");
                return;
            }
            body.appendBuffer(chunk);
        });
        req.exceptionHandler(t -> {
            if (!ctx.response().ended()) {
                ctx.fail(400, t);
            }
        });
        req.endHandler(v -> {
            if (!tooLarge[0]) {
                ctx.put(BODY, body);
                ctx.next();
            }
        });
        req.resume();
    }

    private Params params(RoutingContext ctx) {
        Params p = new Params().addEncoded(ctx.request().query());
        Buffer body = ctx.get(BODY);
        if (body != null && body.length() > 0) {
            String type = ctx.request().getHeader("Content-Type");
            if (type == null || type.startsWith("application/x-www-form-urlencoded") || type.startsWith("text/plain")) {
                p.addEncoded(body.toString(StandardCharsets.UTF_8));
            }
        }
        return p;
    }

    // ---- handlers ----

    private void render(RoutingContext ctx) {
        renderRequests.increment();
        timed(ctx, renderLatency);
        RenderRequest rr;
        try {
            rr = RenderRequest.parse(params(ctx), clock.nowSeconds(), settings.timeZone());
        } catch (RuntimeException e) {
            error(ctx, e);
            return;
        }
        RenderCache.Hit hit = renderCache.get(rr);
        if (hit != null) {
            renderCacheHits.increment();
            ctx.response().putHeader("Cache-Control", "max-age=" + renderCache.remainingSeconds(hit));
            respondBody(ctx, 200, hit.body());
            return;
        }
        int ttl = renderCache.timeoutFor(rr);
        ctx.response().putHeader("Cache-Control", ttl > 0 ? "max-age=" + ttl : "no-cache");
        if (ttl == 0) {
            ctx.response().putHeader("Pragma", "no-cache");
        }
        boolean requireComplete = requireComplete(ctx);
        workers.executeBlocking(() -> {
            RenderResult result = renderer.renderFull(rr);
            if (requireComplete) {
                result.requireComplete();
            }
            List<Series> data = result.series();
            renderSeries.add(data.size());
            Body body = RenderOutput.write(data, rr);
            if (result.complete()) {
                renderCache.put(rr, body);
            }
            return Map.entry(body, result.missingRegions());
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                if (!ar.result().getValue().isEmpty()) {
                    ctx.response().headers().set("Cache-Control", "no-cache"); // partial: not for caches either
                }
                partialHeader(ctx, ar.result().getValue());
                respondBody(ctx, 200, ar.result().getKey());
            } else {
                ctx.response().headers().set("Cache-Control", "no-cache");
                error(ctx, ar.cause());
            }
        });
    }

    /** The request's {@code requireComplete} flag or the {@code federation.require-complete} setting. */
    private boolean requireComplete(RoutingContext ctx) {
        return federation != null && (federation.requireComplete() || params(ctx).flag("requireComplete"));
    }

    /** A MetricsApi/TagsApi reader for one request: federated when configured, else local storage. */
    private Federation.Call federationCall() {
        return federation == null ? null : federation.call();
    }

    /** Runs {@code work} and answers like {@link #blocking}, with the partial-answer header of {@code call}. */
    private void blockingFederated(RoutingContext ctx, String contentType, Federation.Call call,
                                   Callable<JsonWriter> work) {
        if (call == null) {
            blocking(ctx, contentType, work);
            return;
        }
        boolean requireComplete = requireComplete(ctx);
        workers.executeBlocking(() -> {
            JsonWriter w = work.call();
            if (requireComplete && !call.missing().isEmpty()) {
                throw new IncompleteAnswerException(call.missing());
            }
            return w;
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                partialHeader(ctx, call.missing());
                respond(ctx, 200, contentType, ar.result());
            } else {
                error(ctx, ar.cause());
            }
        });
    }

    private static void partialHeader(RoutingContext ctx, Map<String, String> missing) {
        if (!missing.isEmpty() && !ctx.response().ended()) {
            ctx.response().putHeader(PARTIAL_HEADER, IncompleteAnswerException.header(missing));
        }
    }

    private void find(RoutingContext ctx) {
        findRequests.increment();
        timed(ctx, findLatency);
        Params p = params(ctx);
        MetricsApi.Out out;
        try {
            ZoneId zone = RenderRequest.zone(p.get("tz"), settings.timeZone());
            long now = p.has("now") ? RenderRequest.time("now", p.get("now"), clock.nowSeconds(), zone)
                    : clock.nowSeconds();
            // Validated like graphite-web; the storage API answers find without a time window.
            for (String param : List.of("from", "until")) {
                String v = p.get(param);
                if (v != null && !v.equals("-1")) {
                    RenderRequest.time(param, v, now, zone);
                }
            }
            out = out(ctx, p);
        } catch (RuntimeException e) {
            error(ctx, e);
            return;
        }
        int position = intParam(p, "position", -1);
        ctx.response().putHeader("Pragma", "no-cache").putHeader("Cache-Control", "no-cache");
        String format = p.get("format");
        if ("pickle".equals(format) || "msgpack".equals(format)) {
            blockingBody(ctx, () -> metricsApi.findBinary(p.get("query"), format, p.flag("leavesOnly")));
            return;
        }
        Federation.Call call = federationCall();
        if (call == null && MetricsApi.cheapFind(p.get("query"), format, p.flag("automatic_variants"))) {
            // One wildcard level over the in-memory index, at most INLINE_FIND_LIMIT nodes: microseconds, so it is
            // answered here rather than paying two thread hand-offs; more matches go to the workers below.
            try {
                JsonWriter w = metricsApi.find(p.get("query"), format, p.flag("leavesOnly"), p.flag("wildcards"),
                        p.flag("automatic_variants"), position, out, MetricsApi.INLINE_FIND_LIMIT);
                respond(ctx, 200, contentType(out), w);
                return;
            } catch (LimitExceededException e) {
                // too many nodes for the event loop: the worker path applies query.max-find-results
            } catch (RuntimeException e) {
                error(ctx, e);
                return;
            }
        }
        MetricsApi api = call == null ? metricsApi : new MetricsApi(call.reader(), limits, clock);
        blockingFederated(ctx, contentType(out), call, () -> api.find(p.get("query"), p.get("format"),
                p.flag("leavesOnly"), p.flag("wildcards"), p.flag("automatic_variants"), position, out));
    }

    private void expand(RoutingContext ctx) {
        findRequests.increment();
        Params p = params(ctx);
        MetricsApi.Out out;
        try {
            out = out(ctx, p);
        } catch (RuntimeException e) {
            error(ctx, e);
            return;
        }
        ctx.response().putHeader("Pragma", "no-cache").putHeader("Cache-Control", "no-cache");
        Federation.Call call = federationCall();
        MetricsApi api = call == null ? metricsApi : new MetricsApi(call.reader(), limits, clock);
        blockingFederated(ctx, contentType(out), call, () -> api.expand(p.all("query"), p.flag("groupByExpr"),
                p.flag("leavesOnly"), out));
    }

    private void index(RoutingContext ctx) {
        findRequests.increment();
        Params p = params(ctx);
        MetricsApi.Out out;
        try {
            out = out(ctx, p);
        } catch (RuntimeException e) {
            error(ctx, e);
            return;
        }
        workers.<JsonWriter>executeBlocking(() -> metricsApi.index(out), false).onComplete(ar -> {
            if (ar.succeeded()) {
                respond(ctx, 200, contentType(out), ar.result());
            } else {
                // graphite-web answers a failed index with 500 and an empty list
                serverErrors.increment();
                LOG.warn("/metrics/index.json failed: {}", ar.cause().toString());
                respondBytes(ctx, 500, contentType(out), out.jsonp() == null ? "[]" : out.jsonp() + "([])");
            }
        });
    }

    private void functions(RoutingContext ctx) {
        if (ctx.request().method() == HttpMethod.POST) {
            respondJson(ctx, 405, FunctionsApi.error("Method not allowed (use GET)"));
            return;
        }
        Params p = params(ctx);
        String jsonp;
        try {
            jsonp = RenderRequest.jsonp(p.get("jsonp"));
        } catch (BadRequestException e) {
            respondJson(ctx, 400, FunctionsApi.error(e.getMessage()));
            return;
        }
        String grouped = p.get("grouped", "").strip().toLowerCase(java.util.Locale.ROOT);
        boolean byGroup = grouped.equals("1") || grouped.equals("true");
        blocking(ctx, jsonp != null ? "text/javascript" : JSON, () -> functionsApi.list(byGroup, p.get("group"),
                "pie".equals(p.get("type")), p.flag("pretty"), jsonp));
    }

    private void function(RoutingContext ctx) {
        if (ctx.request().method() == HttpMethod.POST) {
            respondJson(ctx, 405, FunctionsApi.error("Method not allowed (use GET)"));
            return;
        }
        Params p = params(ctx);
        String name = ctx.pathParam("name");
        String jsonp;
        try {
            jsonp = RenderRequest.jsonp(p.get("jsonp"));
        } catch (BadRequestException e) {
            respondJson(ctx, 400, FunctionsApi.error(e.getMessage()));
            return;
        }
        JsonWriter w = "pie".equals(p.get("type")) ? null : functionsApi.describe(name, p.flag("pretty"), jsonp);
        if (w == null) {
            respondJson(ctx, 404, FunctionsApi.error("Function not found: " + name));
            return;
        }
        respond(ctx, 200, jsonp != null ? "text/javascript" : JSON, w);
    }

    // ---- tags ----

    private void tagList(RoutingContext ctx) {
        if (getOnly(ctx)) {
            Params p = params(ctx);
            tags(ctx, p, out -> tagsApi.listTags(p.get("filter"), TagsApi.limit(p.get("limit"), TagsApi.NO_LIMIT),
                    out));
        }
    }

    private void tagDetails(RoutingContext ctx) {
        if (getOnly(ctx)) {
            Params p = params(ctx);
            String tag = ctx.pathParam("tag");
            tags(ctx, p, out -> tagsApi.tagDetails(tag, p.get("filter"),
                    TagsApi.limit(p.get("limit"), TagsApi.NO_LIMIT), out));
        }
    }

    private void findSeries(RoutingContext ctx) {
        Params p = params(ctx);
        tags(ctx, p, out -> tagsApi.findSeries(p.all("expr"), out));
    }

    private void autoCompleteTags(RoutingContext ctx) {
        Params p = params(ctx);
        TagsApi api = federation == null ? tagsApi : new TagsApi(federation.call().reader(), limits);
        tags(ctx, p, out -> api.autoCompleteTags(p.all("expr"), p.get("tagPrefix"),
                TagsApi.limit(p.get("limit"), TagsApi.DEFAULT_AUTOCOMPLETE_LIMIT), out));
    }

    private void autoCompleteValues(RoutingContext ctx) {
        Params p = params(ctx);
        TagsApi api = federation == null ? tagsApi : new TagsApi(federation.call().reader(), limits);
        tags(ctx, p, out -> api.autoCompleteValues(p.get("tag"), p.all("expr"), p.get("valuePrefix"),
                TagsApi.limit(p.get("limit"), TagsApi.DEFAULT_AUTOCOMPLETE_LIMIT), out));
    }

    private void tagSeries(RoutingContext ctx) {
        Params p = params(ctx);
        if (writeAllowed(ctx, p)) {
            tags(ctx, p, out -> tagsApi.tagSeries(p.get("path"), out));
        }
    }

    private void tagMultiSeries(RoutingContext ctx) {
        Params p = params(ctx);
        if (writeAllowed(ctx, p)) {
            tags(ctx, p, out -> tagsApi.tagMultiSeries(p.all("path"), out));
        }
    }

    private void delSeries(RoutingContext ctx) {
        Params p = params(ctx);
        if (!writeAllowed(ctx, p)) {
            return;
        }
        if (p.all("path").isEmpty()) {
            respondJson(ctx, 400, TagsApi.error("no paths specified"));
            return;
        }
        respondJson(ctx, 501, TagsApi.error("/tags/delSeries is not supported: Tally's storage API has no way to "
                + "delete a series, so nothing was deleted"));
    }

    /** One tags-API request: the work runs on the worker pool; errors answer JSON {@code {"error": ...}}. */
    private void tags(RoutingContext ctx, Params p, TagsCall call) {
        tagRequests.increment();
        MetricsApi.Out out;
        try {
            out = new MetricsApi.Out(p.flag("pretty"), true, RenderRequest.jsonp(p.get("jsonp")));
        } catch (RuntimeException e) {
            tagsError(ctx, e);
            return;
        }
        String type = out.jsonp() != null ? "text/javascript" : JSON;
        workers.executeBlocking(() -> call.answer(out), false).onComplete(ar -> {
            if (ar.succeeded()) {
                respond(ctx, 200, type, ar.result());
            } else {
                tagsError(ctx, ar.cause());
            }
        });
    }

    @FunctionalInterface
    private interface TagsCall {
        JsonWriter answer(MetricsApi.Out out);
    }

    /** graphite-web's {@code /tags} and {@code /tags/<tag>} answer GET only; false (405 sent) otherwise. */
    private boolean getOnly(RoutingContext ctx) {
        if (ctx.request().method() == HttpMethod.POST) {
            respondJson(ctx, 405, TagsApi.error("Method not allowed (use GET)"));
            return false;
        }
        return true;
    }

    /**
     * The write routes' guard: POST only (405), a configured token (403 otherwise) and the right one from
     * {@code Authorization: Bearer} or the {@code token} parameter (401 otherwise). False when an answer was sent.
     */
    private boolean writeAllowed(RoutingContext ctx, Params p) {
        if (ctx.request().method() != HttpMethod.POST) {
            respondJson(ctx, 405, TagsApi.error("Method not allowed (use POST)"));
            return false;
        }
        return tokenValid(ctx, p);
    }

    /** The token half of {@link #writeAllowed}: false when 403 or 401 was sent. */
    private boolean tokenValid(RoutingContext ctx, Params p) {
        if (apiToken.length == 0) {
            respondJson(ctx, 403, TagsApi.error("the write API is disabled: set api.token in the server "
                    + "configuration and send it as 'Authorization: Bearer <token>'"));
            return false;
        }
        String given = bearer(ctx.request().getHeader("Authorization"));
        if (given == null) {
            given = p.get("token");
        }
        if (given == null || !MessageDigest.isEqual(apiToken, given.getBytes(StandardCharsets.UTF_8))) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"tally\"");
            respondJson(ctx, 401, TagsApi.error(given == null
                    ? "missing API token: send 'Authorization: Bearer <token>' (the api.token setting)"
                    : "wrong API token"));
            return false;
        }
        return true;
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or null. */
    static String bearer(String header) {
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    private void tagsError(RoutingContext ctx, Throwable t) {
        if (t instanceof BadRequestException) {
            respondJson(ctx, 400, TagsApi.error(t.getMessage()));
        } else if (t instanceof LimitExceededException) {
            respondJson(ctx, 422, TagsApi.error(t.getMessage()));
        } else {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), t);
            respondJson(ctx, 500, TagsApi.error("Internal error (" + t.getClass().getSimpleName()
                    + "); see the server log"));
        }
    }

    private void respondJson(RoutingContext ctx, int status, JsonWriter w) {
        if (status >= 500) {
            serverErrors.increment();
        } else {
            clientErrors.increment();
        }
        respond(ctx, status, JSON, w);
    }

    // ---- events ----

    /** {@code /events/get_data}: events in {@code [from, until]} with the tags, as JSON (spec §3.9). */
    private void eventsGetData(RoutingContext ctx) {
        eventRequests.increment();
        Params p = params(ctx);
        long from;
        long until;
        String jsonp;
        try {
            ZoneId zone = RenderRequest.zone(p.get("tz"), settings.timeZone());
            long now = clock.nowSeconds();
            from = p.has("from") ? RenderRequest.time("from", p.get("from"), now, zone) : 0;
            until = p.has("until") ? RenderRequest.time("until", p.get("until"), now, zone) : now;
            jsonp = RenderRequest.jsonp(p.get("jsonp"));
        } catch (RuntimeException e) {
            tagsError(ctx, e);
            return;
        }
        List<String> tags = EventStore.splitTags(p.get("tags"));
        EventStore.TagSet set = EventStore.TagSet.of(p.get("set"));
        String type = jsonp != null ? "text/javascript" : JSON;
        workers.executeBlocking(() -> {
            JsonWriter w = new JsonWriter(p.flag("pretty"), true);
            if (jsonp != null) {
                w.raw(jsonp).raw("(");
            }
            w.beginArray();
            for (EventStore.Event e : events.find(from, until, tags, set)) {
                EventStore.writeEvent(w, e);
            }
            w.endArray();
            if (jsonp != null) {
                w.raw(")");
            }
            return w;
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                respond(ctx, 200, type, ar.result());
            } else {
                tagsError(ctx, ar.cause());
            }
        });
    }

    /** {@code POST /events}: creates an event from a JSON body; guarded by the API token like the tag writes. */
    private void eventsCreate(RoutingContext ctx) {
        eventRequests.increment();
        Params p = params(ctx);
        if (!writeAllowed(ctx, p)) {
            return;
        }
        Buffer body = ctx.get(BODY);
        EventStore.NewEvent ne;
        try {
            ne = EventStore.parseNew(body == null ? "" : body.toString(StandardCharsets.UTF_8));
        } catch (BadRequestException e) {
            respondJson(ctx, 400, TagsApi.error(e.getMessage()));
            return;
        }
        workers.executeBlocking(() -> events.add(ne.when(), ne.what(), ne.data(), ne.tags()), false)
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        JsonWriter w = new JsonWriter(256, false, true);
                        EventStore.writeEvent(w, ar.result());
                        respond(ctx, 200, JSON, w);
                    } else {
                        tagsError(ctx, ar.cause());
                    }
                });
    }

    /** {@code GET /events/<id>}: one event, or 404. */
    private void eventById(RoutingContext ctx) {
        eventRequests.increment();
        if (!getOnly(ctx)) {
            return;
        }
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            respondJson(ctx, 404, TagsApi.error("no event " + ctx.pathParam("id")));
            return;
        }
        workers.executeBlocking(() -> events.get(id), false).onComplete(ar -> {
            if (ar.failed()) {
                tagsError(ctx, ar.cause());
            } else if (ar.result() == null) {
                respondJson(ctx, 404, TagsApi.error("no event " + id));
            } else {
                JsonWriter w = new JsonWriter(256, false, true);
                EventStore.writeEvent(w, ar.result());
                respond(ctx, 200, JSON, w);
            }
        });
    }

    private void version(RoutingContext ctx) {
        respondBytes(ctx, 200, "text/plain", GRAPHITE_VERSION);
    }

    private void health(RoutingContext ctx) {
        boolean drainingNow = draining;
        JsonWriter w = new JsonWriter(128, false, true);
        w.beginObject().name("status").value(drainingNow ? "draining" : "ok")
                .name("region").value(settings.region()).endObject();
        respond(ctx, drainingNow ? 503 : 200, JSON, w);
    }

    // ---- plumbing ----

    private MetricsApi.Out out(RoutingContext ctx, Params p) {
        String accept = ctx.request().getHeader("Accept");
        boolean ensureAscii = accept == null || accept.equals(JSON);
        return new MetricsApi.Out(p.flag("pretty"), ensureAscii, RenderRequest.jsonp(p.get("jsonp")));
    }

    private static String contentType(MetricsApi.Out out) {
        String base = out.jsonp() != null ? "text/javascript" : JSON;
        return out.ensureAscii() ? base : base + ";charset=utf-8";
    }

    private static int intParam(Params p, String key, int fallback) {
        String v = p.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Runs {@code work} on the worker pool and answers 200 with its JSON, or the mapped error. */
    private void blocking(RoutingContext ctx, String contentType, Callable<JsonWriter> work) {
        workers.executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) {
                respond(ctx, 200, contentType, ar.result());
            } else {
                error(ctx, ar.cause());
            }
        });
    }

    /** Runs {@code work} on the worker pool and answers 200 with its body, or the mapped error. */
    private void blockingBody(RoutingContext ctx, Callable<Body> work) {
        workers.executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) {
                respondBody(ctx, 200, ar.result());
            } else {
                ctx.response().headers().set("Cache-Control", "no-cache");
                error(ctx, ar.cause());
            }
        });
    }

    private static void respondBody(RoutingContext ctx, int status, Body body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        Buffer b = Buffer.buffer(body.length()).appendBytes(body.bytes(), 0, body.length());
        ctx.response().setStatusCode(status).putHeader("Content-Type", body.contentType()).end(b);
    }

    private void failure(RoutingContext ctx) {
        Throwable t = ctx.failure();
        if (t != null && ctx.statusCode() != 400) {
            error(ctx, t);
            return;
        }
        int status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
        String message = switch (status) {
            case 400 -> "Bad request" + (t == null || t.getMessage() == null ? "" : ": " + t.getMessage());
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            default -> "Error " + status;
        };
        respondText(ctx, status, message);
    }

    private void error(RoutingContext ctx, Throwable t) {
        if (t instanceof BadRequestException || t instanceof ExpressionException) {
            respondText(ctx, 400, t.getMessage());
        } else if (t instanceof LimitExceededException) {
            respondText(ctx, 422, t.getMessage());
        } else if (t instanceof IncompleteAnswerException e) {
            ctx.response().putHeader(PARTIAL_HEADER, IncompleteAnswerException.header(e.missing()));
            respondText(ctx, e.status(), e.getMessage());
        } else {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), t);
            respondText(ctx, 500, "Internal error (" + t.getClass().getSimpleName() + "); see the server log");
        }
    }

    private void respondText(RoutingContext ctx, int status, String message) {
        if (status >= 500) {
            serverErrors.increment();
        } else {
            clientErrors.increment();
        }
        respondBytes(ctx, status, "text/html; charset=utf-8", escapeHtml(message));
    }

    private static void respond(RoutingContext ctx, int status, String contentType, JsonWriter w) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        Buffer b = Buffer.buffer(w.length()).appendBytes(w.array(), 0, w.length());
        ctx.response().setStatusCode(status).putHeader("Content-Type", contentType).end(b);
    }

    private static void respondBytes(RoutingContext ctx, int status, String contentType, String body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", contentType).end(body);
    }

    static String escapeHtml(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#x27;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
