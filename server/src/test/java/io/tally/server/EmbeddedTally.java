package io.tally.server;

import io.tally.engine.util.Clock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.ingest.CarbonReceivers;

import java.nio.file.Path;
import java.util.Map;

/**
 * Test helper: a real {@link TallyServer} in this JVM (real engine, carbon receivers and HTTP, as {@code tally
 * server} wires them) on 127.0.0.1, ports 0 unless set, self-metrics under {@code tally.agents.itest} and not on a
 * timer (tests call {@code server().reporter().tick()}).
 */
final class EmbeddedTally implements AutoCloseable {
    static final String SELF_PREFIX = "tally.agents.itest";

    private final TallyServer server;
    private final TallyHttp http;

    private EmbeddedTally(TallyServer server) {
        this.server = server;
        this.http = new TallyHttp(server.httpPort());
    }

    /** Starts a server on {@code dataDir}; {@code settings} are {@code key, value} pairs overriding the defaults. */
    static EmbeddedTally start(Path dataDir, String... settings) throws Exception {
        Map<String, String> flags = Training.loopback(dataDir);
        flags.put("storage.shards", "2");
        flags.put("query.workers", "2");
        flags.put("self-metrics.prefix", SELF_PREFIX);
        flags.put("self-metrics.interval", "0");
        for (int i = 0; i < settings.length; i += 2) {
            flags.put(settings[i], settings[i + 1]);
        }
        ServerConfig cfg = ServerConfig.load(null, Map.of("HOSTNAME", "itest"), flags);
        TallyServer s = new TallyServer(cfg, Main::openEngine, Main::receivers, new MetricsRegistry(), Clock.SYSTEM);
        s.start();
        return new EmbeddedTally(s);
    }

    TallyServer server() {
        return server;
    }

    TallyHttp http() {
        return http;
    }

    int plaintextTcpPort() {
        return port(CarbonReceivers.PLAINTEXT_TCP);
    }

    int plaintextUdpPort() {
        return port(CarbonReceivers.PLAINTEXT_UDP);
    }

    int picklePort() {
        return port(CarbonReceivers.PICKLE_TCP);
    }

    private int port(String protocol) {
        Integer p = server.receiverPorts().get(protocol);
        if (p == null) {
            throw new IllegalStateException("no " + protocol + " listener: " + server.receiverPorts());
        }
        return p;
    }

    @Override
    public void close() {
        server.stop();
    }
}
