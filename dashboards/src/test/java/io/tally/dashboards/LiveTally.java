package io.tally.dashboards;

import io.tally.engine.api.PointBatch;
import io.tally.engine.config.StorageSchemas;
import io.tally.engine.name.MetricName;
import io.tally.engine.storage.Engine;
import io.tally.engine.storage.EngineOptions;
import io.tally.engine.util.Clock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.query.GraphiteHttpServer;
import io.tally.query.HttpExtension;
import io.tally.query.QueryLimits;
import io.tally.query.QueryServer;
import io.tally.query.federation.Federation;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * A real Tally for page tests: an {@link Engine} over a temp dir on the wall clock (the browser's own time ranges
 * must agree with the server's), filled with a week of minutely points, behind a {@link QueryServer} with the given
 * extensions on an ephemeral 127.0.0.1 port, optionally with a {@link Federation}. Write calls need {@link #TOKEN}.
 */
final class LiveTally implements AutoCloseable {
    static final String REGION = "test-region";
    static final String HOST = "testhost";
    /** The API token of write calls (alerting's silences and acks). */
    static final String TOKEN = "pages-test-token";

    private final Engine engine;
    private final QueryServer server;
    final long now;

    private LiveTally(Engine engine, QueryServer server, long now) {
        this.engine = engine;
        this.server = server;
        this.now = now;
    }

    /** Regions whose data {@link #start(Path, List, boolean)} writes under regions.<region>. when federated. */
    static final List<String> REGIONS = List.of("eu-west", "us-east");

    static LiveTally start(Path dir, List<HttpExtension> extensions) throws Exception {
        return start(dir, extensions, false);
    }

    /**
     * Starts a Tally; with {@code federated}, also writes series under {@code regions.<region>.} as federation
     * addresses other regions' data, so {@code regions.*} lists {@link #REGIONS}.
     */
    static LiveTally start(Path dir, List<HttpExtension> extensions, boolean federated) throws Exception {
        return start(dir, engine -> extensions, federated, null);
    }

    /**
     * The general form: {@code extensions} are built over the filled engine (alerting needs it for its renderer);
     * {@code federation} (null: none) makes this node region {@link #REGION} of a federation with those settings.
     */
    static LiveTally start(Path dir, Function<Engine, List<HttpExtension>> extensions, boolean federated,
                           Federation.Settings federation) throws Exception {
        Engine engine = Engine.open(EngineOptions.builder(dir.resolve("data"))
                .schemas(StorageSchemas.parse("[all]\npattern = .*\nretentions = 60s:8d\n", "test"))
                .clock(Clock.SYSTEM).metrics(new MetricsRegistry()).shards(1).build());
        long now = Clock.SYSTEM.nowSeconds() / 60 * 60;
        try {
            Writer w = new Writer(engine);
            long weekAgo = now - 7 * 86400;
            w.series("servers.web01.cpu", weekAgo, now, t -> 40 + 30 * Math.sin(t / 3600.0));
            w.series("servers.web02.cpu", weekAgo, now, t -> 20 + (t / 60) % 10);
            w.series("servers.web01.load", weekAgo, now, t -> 1.5);
            w.series(MetricName.canonicalize("disk.used;dc=dc1;rack=a1"), now - 86400, now, t -> 3);
            w.series(MetricName.canonicalize("disk.used;dc=dc2;rack=b1"), now - 86400, now, t -> 5);
            w.series("apps." + REGION + ".api.5xx", now - 86400, now, t -> (t / 60) % 20);
            String agent = "tally.agents." + HOST + ".";
            long start = now - 86400;
            w.series(agent + "ingest.plaintext_tcp.points", start, now, t -> (t - start) * 250.0);
            w.series(agent + "ingest.plaintext_tcp.bad_lines.value", start, now, t -> (t - start) / 600.0);
            w.series(agent + "storage.points_written", start, now, t -> (t - start) * 250.0);
            w.series(agent + "storage.series", start, now, t -> 1234);
            w.series(agent + "storage.backlog_bytes", start, now, t -> 4096);
            w.series(agent + "storage.wal_syncs", start, now, t -> (t - start) / 1.0);
            w.series(agent + "storage.wal_bytes", start, now, t -> 32 << 20);
            w.series(agent + "storage.block_cache_hit_rate", start, now, t -> 0.97);
            w.series(agent + "http.render.requests", start, now, t -> (t - start) / 10.0);
            if (federated) {
                for (int i = 0; i < REGIONS.size(); i++) {
                    String r = "regions." + REGIONS.get(i) + ".";
                    double rate = 100.0 * (i + 1);
                    w.series(r + agent + "ingest.plaintext_tcp.points", start, now, t -> (t - start) * rate);
                    w.series(r + agent + "storage.series", start, now, t -> 1000);
                    double cpu = 10.0 * i;
                    w.series(r + "servers.web01.cpu", start, now, t -> cpu);
                    w.series(r + "servers.web02.cpu", start, now, t -> 5);
                }
            }
            w.flush();
            engine.barrier();
            MetricsRegistry metrics = new MetricsRegistry();
            Federation fed = federation == null ? null
                    : new Federation(federation, engine, QueryLimits.defaults(), Clock.SYSTEM, metrics);
            QueryServer server = QueryServer.start(engine, Clock.SYSTEM, QueryLimits.defaults(),
                    new GraphiteHttpServer.Settings("127.0.0.1", 0, REGION, ZoneOffset.UTC, 1 << 20, TOKEN),
                    metrics, extensions.apply(engine), fed, null);
            return new LiveTally(engine, server, now);
        } catch (Exception e) {
            engine.close();
            throw e;
        }
    }

    Engine engine() {
        return engine;
    }

    /** Writes a minutely series over [from, until] (epoch seconds) and waits until it is readable. */
    void series(String name, long from, long until, DoubleUnaryOperator value) throws Exception {
        Writer w = new Writer(engine);
        w.series(name, from, until, value);
        w.flush();
        engine.barrier();
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            engine.close();
        }
    }

    /** Fills batches, offering each when full (waiting for the engine when it pushes back). */
    private static final class Writer {
        private final Engine engine;
        private PointBatch batch;

        Writer(Engine engine) {
            this.engine = engine;
            this.batch = engine.newBatch();
        }

        void series(String name, long from, long until, DoubleUnaryOperator value) throws Exception {
            for (long t = from; t <= until; t += 60) {
                if (!batch.hasRoom(name.length())) {
                    flush();
                }
                batch.add(name, t, value.applyAsDouble(t));
            }
        }

        void flush() throws Exception {
            if (!engine.offer(batch)) {
                engine.barrier();
            }
            batch = engine.newBatch();
        }
    }
}
