package io.tally.query.federation;

import io.tally.engine.api.FindNode;
import io.tally.engine.api.LimitExceededException;
import io.tally.engine.api.SeriesData;
import io.tally.engine.api.StorageReader;
import io.tally.engine.util.Clock;
import io.tally.query.HttpExtension;
import io.tally.query.HttpHost;
import io.tally.query.Params;
import io.tally.query.QueryBudget;
import io.tally.query.QueryLimits;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The answering side of the peer protocol (docs/FEDERATION.md): {@code GET /federation/v1/find} and
 * {@code GET /federation/v1/fetch}, mounted on the Graphite HTTP port. Both read <em>this node's local storage
 * only</em> (the {@link StorageReader} of the engine, never the federated view), so a request that came from a peer
 * can never be forwarded again: loops are impossible by construction. Every request must carry a valid
 * {@link PeerAuth} signature (401 otherwise). Work runs on its own worker pool {@value #POOL}, so peers are
 * answered even while every {@code tally-query} worker waits for peers; answers are gzipped when the caller
 * accepts it. The node's own {@code query.*} limits apply (422 when exceeded).
 */
final class FederationEndpoints implements HttpExtension {
    static final String FIND = "/federation/v1/find";
    static final String FETCH = "/federation/v1/fetch";
    /** The worker pool that answers peers ({@code query.workers} threads), separate from {@code tally-query}. */
    static final String POOL = "tally-peer";
    private static final Logger LOG = LoggerFactory.getLogger(FederationEndpoints.class);

    private final StorageReader local;
    private final QueryLimits limits;
    private final Clock clock;
    private final PeerAuth auth;
    private final LongAdder served;
    private final LongAdder refused;

    FederationEndpoints(StorageReader local, QueryLimits limits, Clock clock, PeerAuth auth, LongAdder served,
                        LongAdder refused) {
        this.local = local;
        this.limits = limits;
        this.clock = clock;
        this.auth = auth;
        this.served = served;
        this.refused = refused;
    }

    @Override
    public void mount(Router router, HttpHost host) {
        // Own pool: client requests block their tally-query workers while waiting for peers; if peer requests
        // needed those workers too, two busy regions could wait on each other until their timeouts.
        WorkerExecutor peerWorkers = host.vertx().createSharedWorkerExecutor(POOL, limits.workers(),
                limits.timeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
        router.route(FIND).method(HttpMethod.GET).handler(ctx -> handle(ctx, peerWorkers, FIND));
        router.route(FETCH).method(HttpMethod.GET).handler(ctx -> handle(ctx, peerWorkers, FETCH));
    }

    private void handle(RoutingContext ctx, WorkerExecutor workers, String endpoint) {
        String problem = auth.verify(ctx.request().getHeader(PeerAuth.HEADER), "GET", endpoint,
                ctx.request().query());
        if (problem != null) {
            refused.increment();
            text(ctx, 401, problem);
            return;
        }
        served.increment();
        Params p = new Params().addEncoded(ctx.request().query());
        boolean gzip = acceptsGzip(ctx.request().getHeader("Accept-Encoding"));
        workers.executeBlocking(() -> answer(endpoint.equals(FIND) ? find(p) : fetch(p), gzip), false)
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        if (!ctx.response().ended() && !ctx.response().closed()) {
                            ctx.response().setStatusCode(200).putHeader("Content-Type", PeerWire.CONTENT_TYPE);
                            if (ar.result().gzipped()) {
                                // already compressed (fast level): the server's compressor leaves it alone
                                ctx.response().putHeader("Content-Encoding", "gzip");
                            }
                            ctx.response().end(Buffer.buffer(ar.result().bytes()));
                        }
                    } else if (ar.cause() instanceof IllegalArgumentException e) {
                        text(ctx, 400, e.getMessage());
                    } else if (ar.cause() instanceof LimitExceededException e) {
                        text(ctx, 422, e.getMessage());
                    } else {
                        LOG.error("peer {} failed", endpoint, ar.cause());
                        text(ctx, 500, "internal error (" + ar.cause().getClass().getSimpleName() + ")");
                    }
                });
    }

    /** An answer body, gzipped or not. */
    private record Answer(byte[] bytes, boolean gzipped) {
    }

    /**
     * Bodies above a few KiB are gzipped here at the fastest level (series values compress well; the default level
     * costs several times the CPU for a few per cent), on the worker thread instead of the event loop.
     */
    private static Answer answer(byte[] body, boolean gzip) throws IOException {
        if (!gzip || body.length < 4096) {
            return new Answer(body, false);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(512, body.length / 4));
        try (GZIPOutputStream z = new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            z.write(body);
        }
        return new Answer(out.toByteArray(), true);
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String coding = part.strip();
            int semi = coding.indexOf(';');
            String name = semi < 0 ? coding : coding.substring(0, semi).strip();
            if (name.equalsIgnoreCase("gzip")) {
                return semi < 0 || !coding.substring(semi + 1).replace(" ", "").equals("q=0");
            }
        }
        return false;
    }

    private byte[] find(Params p) {
        String query = required(p, "query");
        return PeerWire.encodeFind(local.find(query, limit(p, limits.maxFindResults())));
    }

    private byte[] fetch(Params p) {
        long from = number(p, "from");
        long until = number(p, "until");
        long now = number(p, "now");
        int limit = limit(p, limits.maxSeries());
        List<String> names = new ArrayList<>();
        String query = p.get("query");
        if (query != null && !query.isEmpty()) {
            for (FindNode n : local.find(query, limits.maxFindResults())) {
                if (n.leaf()) {
                    names.add(n.path());
                }
            }
        } else {
            List<String> exprs = p.all("expr");
            if (exprs.isEmpty()) {
                throw new IllegalArgumentException("missing 'query' or 'expr'");
            }
            names.addAll(local.findByTags(exprs, limit + 1));
        }
        if (names.size() > limit) {
            throw new LimitExceededException("series matched by the targets", limit, "query.max-series");
        }
        names.sort(null);
        List<SeriesData> out = new QueryBudget(limits, clock).read(local, names, from, until, now);
        return PeerWire.encodeFetch(out);
    }

    private static String required(Params p, String key) {
        String v = p.get(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("missing '" + key + "'");
        }
        return v;
    }

    private static long number(Params p, String key) {
        try {
            return Long.parseLong(required(p, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' must be an integer (epoch seconds)");
        }
    }

    /** The caller's limit, capped by this node's own. */
    private static int limit(Params p, int own) {
        String v = p.get("limit");
        if (v == null) {
            return own;
        }
        try {
            return Math.max(1, Math.min(own, Integer.parseInt(v)));
        } catch (NumberFormatException e) {
            return own;
        }
    }

    private static void text(RoutingContext ctx, int status, String message) {
        if (!ctx.response().ended() && !ctx.response().closed()) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end(message);
        }
    }
}
