package io.tally.dashboards;

import io.tally.engine.api.PointBatch;
import io.tally.engine.storage.Engine;
import io.tally.engine.storage.EngineOptions;
import io.tally.engine.util.Clock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.query.GraphiteHttpServer;
import io.tally.query.QueryLimits;
import io.tally.query.QueryServer;
import io.tally.query.federation.Federation;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Test helper (a small copy of query-api's test RegionNode, whose test classes are not on this classpath): another
 * region's Tally in this JVM, a real {@link Engine} with a few series written at the last minutes, serving the peer
 * endpoints with the shared secret (federation without peers of its own) on 127.0.0.1, port 0. {@link #stop}
 * closes HTTP, so its address refuses connections: an unreachable region.
 */
final class PeerNode implements AutoCloseable {
    private final Engine engine;
    private final String region;
    private QueryServer server;
    private final int port;

    private PeerNode(Engine engine, String region, QueryServer server) {
        this.engine = engine;
        this.region = region;
        this.server = server;
        this.port = server.port();
    }

    static PeerNode start(Path dir, String region, String secret, String... series) throws Exception {
        Engine engine = Engine.open(EngineOptions.builder(dir).clock(Clock.SYSTEM).metrics(new MetricsRegistry())
                .shards(1).build());
        try {
            long now = Clock.SYSTEM.nowSeconds() / 60 * 60;
            PointBatch b = engine.newBatch();
            for (String name : series) {
                for (long t = now - 600; t <= now; t += 60) {
                    b.add(name, t, 1.0);
                }
            }
            engine.offer(b);
            engine.barrier();
            MetricsRegistry metrics = new MetricsRegistry();
            Federation federation = new Federation(Federation.Settings.of(region, List.of(), secret), engine,
                    QueryLimits.defaults(), Clock.SYSTEM, metrics);
            QueryServer server = QueryServer.start(engine, Clock.SYSTEM, QueryLimits.defaults(),
                    new GraphiteHttpServer.Settings("127.0.0.1", 0, region, ZoneOffset.UTC, 1 << 20), metrics,
                    List.of(), federation, null);
            return new PeerNode(engine, region, server);
        } catch (Exception e) {
            engine.close();
            throw e;
        }
    }

    /** This node as a peer of another region. */
    Federation.Peer asPeer() {
        return new Federation.Peer(region, URI.create("http://127.0.0.1:" + port));
    }

    /** Closes HTTP (the port then refuses connections), keeping the engine. */
    void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            stop();
        } finally {
            engine.close();
        }
    }
}
