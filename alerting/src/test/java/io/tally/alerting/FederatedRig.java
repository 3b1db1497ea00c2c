package io.tally.alerting;

import io.tally.engine.util.ManualClock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.query.GraphiteHttpServer;
import io.tally.query.QueryLimits;
import io.tally.query.QueryServer;
import io.tally.query.Renderer;
import io.tally.query.federation.Federation;
import io.tally.query.functions.FunctionRegistry;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Three Tally regions in this JVM over one manual clock, each with its own real engine and HTTP server on
 * 127.0.0.1 (port 0): the peers {@code r2} and {@code r3} answer federation requests (a secret, no peers of their
 * own); {@code r1} has both as peers, evaluates alerts through a federation-aware {@link Renderer} (as the server
 * builds it) and serves the alerting routes. No scheduler thread: tests call {@link #run()}.
 */
final class FederatedRig implements AutoCloseable {
    static final String SECRET = "federation-test-secret";
    static final List<String> REGIONS = List.of("r1", "r2", "r3");

    final ManualClock clock = new ManualClock(Rig.T0);
    final Map<String, TestStore> stores = new LinkedHashMap<>();
    final Map<String, QueryServer> servers = new LinkedHashMap<>();
    final AlertingService service;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ServerSocket hanging;

    FederatedRig(Path dir, String alertsYaml, boolean evaluateAllRegions) throws Exception {
        this(dir, alertsYaml, evaluateAllRegions, false);
    }

    /**
     * @param r3Hangs r3 is a socket that accepts connections and never answers (a peer that times out, after
     *                300 ms); its store still exists but nobody serves it
     */
    FederatedRig(Path dir, String alertsYaml, boolean evaluateAllRegions, boolean r3Hangs) throws Exception {
        List<Federation.Peer> peers = new ArrayList<>();
        if (r3Hangs) {
            hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()); // the backlog accepts; no reply
            stores.put("r3", new TestStore(dir.resolve("r3"), clock));
            peers.add(new Federation.Peer("r3", URI.create("http://127.0.0.1:" + hanging.getLocalPort()),
                    Duration.ofMillis(300)));
        }
        for (String r : r3Hangs ? List.of("r2") : List.of("r2", "r3")) {
            TestStore store = new TestStore(dir.resolve(r), clock);
            stores.put(r, store);
            Federation f = new Federation(Federation.Settings.of(r, List.of(), SECRET), store.engine,
                    QueryLimits.defaults(), clock, new MetricsRegistry());
            QueryServer s = QueryServer.start(store.engine, clock, QueryLimits.defaults(), settings(r),
                    new MetricsRegistry(), List.of(), f, null);
            servers.put(r, s);
            peers.add(new Federation.Peer(r, URI.create("http://127.0.0.1:" + s.port()), Duration.ofSeconds(2)));
        }
        TestStore central = new TestStore(dir.resolve("r1"), clock);
        stores.put("r1", central);
        Federation f = new Federation(Federation.Settings.of("r1", peers, SECRET), central.engine,
                QueryLimits.defaults(), clock, new MetricsRegistry());
        Renderer renderer = new Renderer(central.engine, QueryLimits.defaults(), clock, FunctionRegistry.standard(), f);
        Path alerts = dir.resolve("alerts.yaml");
        Files.writeString(alerts, alertsYaml);
        service = AlertingService.create(AlertingConfig.defaults(alerts).withEvaluateAllRegions(evaluateAllRegions),
                renderer, clock, new MetricsRegistry(), null, "r1", REGIONS);
        servers.put("r1", QueryServer.start(central.engine, clock, QueryLimits.defaults(), settings("r1"),
                new MetricsRegistry(), List.of(service.httpExtension()), f, null));
    }

    private static GraphiteHttpServer.Settings settings(String region) {
        return new GraphiteHttpServer.Settings("127.0.0.1", 0, region, ZoneOffset.UTC, 1 << 20, "token");
    }

    /** Writes {@code value} for the ten minutes before the current minute into {@code region}'s own store. */
    void level(String region, String name, double value) throws Exception {
        long t = clock.nowSeconds() / 60 * 60;
        double[] v = new double[10];
        java.util.Arrays.fill(v, value);
        stores.get(region).series(name, t - 600, v);
    }

    /** Stops a peer's HTTP server: its port refuses connections from now on. */
    void stop(String region) throws Exception {
        servers.remove(region).close();
    }

    int run() {
        return service.engine().runDue(clock.currentTimeMillis());
    }

    Report report(String alert, String region) {
        return service.engine().report(alert, region, false);
    }

    int port() {
        return servers.get("r1").port();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> put(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .PUT(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer token").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        for (QueryServer s : servers.values()) {
            s.close();
        }
        service.close();
        if (hanging != null) {
            hanging.close();
        }
        for (TestStore s : stores.values()) {
            s.close();
        }
    }
}
