package io.tally.query.federation;

import io.tally.engine.api.PointBatch;
import io.tally.engine.storage.Engine;
import io.tally.engine.storage.EngineOptions;
import io.tally.engine.util.Clock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.query.GraphiteHttpServer;
import io.tally.query.HttpTls;
import io.tally.query.QueryLimits;
import io.vertx.core.Vertx;

import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: one Tally region in this JVM: a real {@link Engine} over its own directory, a
 * {@link GraphiteHttpServer} with a {@link Federation} on 127.0.0.1 (port 0), and a {@link TcpProxy} in front of it
 * whose address is what peers use (known before the node starts, and able to inject faults).
 */
final class RegionNode implements AutoCloseable {
    final String region;
    final TcpProxy proxy;
    final MetricsRegistry metrics = new MetricsRegistry();
    private Engine engine;
    private Vertx vertx;
    private GraphiteHttpServer http;
    private Federation federation;

    RegionNode(String region) throws Exception {
        this.region = region;
        this.proxy = new TcpProxy();
    }

    /** Opens the engine and writes {@code name value} at each timestamp in {@code times}. */
    RegionNode data(Path dir, Clock clock, Map<String, Double> series, long... times) throws Exception {
        engine = Engine.open(EngineOptions.builder(dir).clock(clock).metrics(metrics).shards(1).build());
        PointBatch b = engine.newBatch();
        for (Map.Entry<String, Double> e : series.entrySet()) {
            for (long t : times) {
                b.add(e.getKey(), t, e.getValue());
            }
        }
        engine.offer(b);
        engine.barrier();
        return this;
    }

    /** Starts HTTP with federation settings built by the caller; returns this. */
    RegionNode start(Federation.Settings settings, Clock clock, HttpTls tls) throws Exception {
        vertx = Vertx.vertx();
        QueryLimits limits = new QueryLimits(10_000, 20_000_000, 100_000, java.time.Duration.ofSeconds(30), 4);
        federation = new Federation(settings, engine, limits, clock, metrics);
        http = new GraphiteHttpServer(engine, clock, limits,
                new GraphiteHttpServer.Settings("127.0.0.1", 0, region, ZoneOffset.UTC, 1 << 20), metrics,
                List.of(), federation, tls);
        vertx.deployVerticle(http).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        proxy.target(http.actualPort());
        return this;
    }

    Federation federation() {
        return federation;
    }

    Engine engine() {
        return engine;
    }

    /** What peers call: the proxy. */
    Federation.Peer asPeer(String scheme) {
        return new Federation.Peer(region, URI.create(scheme + "://127.0.0.1:" + proxy.port()));
    }

    /** The node itself, bypassing the proxy. */
    String base(String scheme) {
        return scheme + "://127.0.0.1:" + http.actualPort();
    }

    /** Stops HTTP (the port is released), keeping the engine. */
    void stopHttp() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            vertx = null;
        }
        if (federation != null) {
            federation.close();
        }
    }

    @Override
    public void close() throws Exception {
        stopHttp();
        proxy.close();
        if (engine != null) {
            engine.close();
        }
    }
}
