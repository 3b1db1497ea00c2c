package io.tally.bench.query;

import io.tally.engine.api.PointBatch;
import io.tally.engine.storage.Engine;
import io.tally.engine.storage.EngineOptions;
import io.tally.engine.util.Clock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.query.GraphiteHttpServer;
import io.tally.query.QueryLimits;
import io.tally.query.federation.Federation;
import io.vertx.core.Vertx;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Cross-region query latency: three regions in this JVM (real engines, HTTP servers with federation, loopback)
 * each holding {@code series} series of {@code points} minutely points, against a fourth node holding all
 * {@code 3 × series} series itself. Measures, one request at a time after a warm-up:
 * <ul>
 *   <li>{@code federated}: {@code sumSeries(regions.*.app.*.requests)} asked of one region (two peers over HTTP,
 *       gzip, plus its own data), over the last {@code points} minutes (an open window: never cached);</li>
 *   <li>{@code single}: {@code sumSeries(*.app.*.requests)} on the node holding everything, same window;</li>
 *   <li>{@code federated-closed}: the federated query over a window that ended 15 minutes ago (served from the
 *       remote-series cache after the first request);</li>
 *   <li>{@code local-only}: {@code sumSeries(app.*.requests)} on the region itself (a third of the data).</li>
 * </ul>
 * and checks that the federated and single answers agree.
 *
 * <pre>
 * mvn -B -o -q -pl bench -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED -Xmx2g -cp bench/target/benchmarks.jar \
 *     io.tally.bench.query.FederationRun --series 300 --points 1440 --iterations 100 --warmup 20
 * </pre>
 *
 * Last run (2026-11-22, 2 shared vCPUs, all nodes in one JVM; docs/BENCHMARKS.md): federated median 108.7 ms,
 * single node 32.6 ms, federated over a closed (cached) window 20.8 ms, one region's local third 11.5 ms.
 */
public final class FederationRun {
    private static final String[] REGIONS = {"eu", "us", "ap"};

    private FederationRun() {
    }

    public static void main(String[] args) throws Exception {
        int series = 300;
        int points = 1440;
        int iterations = 200;
        int warmup = 50;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--series" -> series = Integer.parseInt(args[++i]);
                case "--points" -> points = Integer.parseInt(args[++i]);
                case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("tally-federation-run");
        long now = System.currentTimeMillis() / 1000;
        now -= now % 60;
        int[] ports = freePorts(REGIONS.length);
        List<AutoCloseable> open = new ArrayList<>();
        Vertx vertx = Vertx.vertx();
        try {
            QueryLimits limits = new QueryLimits(100_000, 100_000_000, 1_000_000, Duration.ofSeconds(60), 4);
            Engine all = engine(dir.resolve("all"), open);
            for (int r = 0; r < REGIONS.length; r++) {
                Engine e = engine(dir.resolve(REGIONS[r]), open);
                fill(e, "", series, points, now, r);
                fill(all, REGIONS[r] + ".", series, points, now, r);
                List<Federation.Peer> peers = new ArrayList<>();
                for (int p = 0; p < REGIONS.length; p++) {
                    if (p != r) {
                        peers.add(new Federation.Peer(REGIONS[p], URI.create("http://127.0.0.1:" + ports[p])));
                    }
                }
                Federation f = new Federation(Federation.Settings.of(REGIONS[r], peers, "bench-secret"), e, limits,
                        Clock.SYSTEM, new MetricsRegistry());
                open.add(f);
                deploy(vertx, new GraphiteHttpServer(e, Clock.SYSTEM, limits, settings(REGIONS[r], ports[r]),
                        new MetricsRegistry(), List.of(), f, null));
            }
            GraphiteHttpServer single = new GraphiteHttpServer(all, Clock.SYSTEM, limits, settings("all", 0),
                    new MetricsRegistry());
            deploy(vertx, single);

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String open1 = "&from=" + (now - points * 60L) + "&until=" + now + "&now=" + now;
            String closed = "&from=" + (now - points * 60L) + "&until=" + (now - 900) + "&now=" + now;
            String eu = "http://127.0.0.1:" + ports[0];
            String one = "http://127.0.0.1:" + single.actualPort();
            String fedBody = get(http, eu, "sumSeries(regions.*.app.*.requests)", open1);
            String singleBody = get(http, one, "sumSeries(*.app.*.requests)", open1);
            if (!values(fedBody).equals(values(singleBody))) {
                throw new IllegalStateException("federated and single answers differ:\n" + abbreviate(fedBody)
                        + "\n" + abbreviate(singleBody));
            }
            System.out.printf(Locale.ROOT, "data: 3 regions x %d series x %d points (single node: %d series)%n",
                    series, points, 3 * series);
            measure("federated", http, eu, "sumSeries(regions.*.app.*.requests)", open1, warmup, iterations);
            measure("single", http, one, "sumSeries(*.app.*.requests)", open1, warmup, iterations);
            measure("federated-closed", http, eu, "sumSeries(regions.*.app.*.requests)", closed, warmup,
                    iterations);
            measure("local-only", http, eu, "sumSeries(app.*.requests)", open1, warmup, iterations);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    private static GraphiteHttpServer.Settings settings(String region, int port) {
        return new GraphiteHttpServer.Settings("127.0.0.1", port, region, ZoneOffset.UTC, 1 << 20);
    }

    private static void deploy(Vertx vertx, GraphiteHttpServer s) throws Exception {
        vertx.deployVerticle(s).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static Engine engine(Path dir, List<AutoCloseable> open) throws Exception {
        Engine e = Engine.open(EngineOptions.builder(dir).shards(2).metrics(new MetricsRegistry()).build());
        open.add(e);
        return e;
    }

    /** {@code series} series {@code <prefix>app.<i>.requests} with seeded random values at a 60 s step. */
    private static void fill(Engine e, String prefix, int series, int points, long now, int seed) throws Exception {
        Random rnd = new Random(42 + seed);
        PointBatch b = e.newBatch();
        for (int s = 0; s < series; s++) {
            String name = prefix + "app." + s + ".requests";
            for (int p = 0; p < points; p++) {
                long t = now - (long) (points - 1 - p) * 60;
                double v = rnd.nextInt(1000);
                if (!b.add(name, t, v)) {
                    if (!e.offer(b)) {
                        e.barrier();
                    }
                    b = e.newBatch();
                    b.add(name, t, v);
                }
            }
        }
        e.offer(b);
        e.barrier();
    }

    private static void measure(String label, HttpClient http, String base, String target, String window,
                                int warmup, int iterations) throws Exception {
        for (int i = 0; i < warmup; i++) {
            get(http, base, target, window);
        }
        long[] nanos = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            get(http, base, target, window);
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
        System.out.printf(Locale.ROOT, "RESULT %-17s median %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  mean %6.2f ms"
                        + "  (%d requests)%n", label, nanos[iterations / 2] / 1e6, nanos[iterations * 9 / 10] / 1e6,
                nanos[Math.min(iterations - 1, iterations * 99 / 100)] / 1e6, mean, iterations);
    }

    private static String get(HttpClient http, String base, String target, String window) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/render?format=json&target="
                + URLEncoder.encode(target, StandardCharsets.UTF_8) + window)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || r.headers().firstValue("X-Tally-Partial").isPresent()) {
            throw new IllegalStateException(target + ": HTTP " + r.statusCode() + " "
                    + r.headers().firstValue("X-Tally-Partial").orElse("") + " " + r.body());
        }
        return r.body();
    }

    /** The datapoints part of a one-series JSON answer (the name differs between the two queries). */
    private static String values(String body) {
        int i = body.indexOf("\"datapoints\"");
        return i < 0 ? body : body.substring(i);
    }

    private static String abbreviate(String s) {
        return s.length() <= 400 ? s : s.substring(0, 400) + "...";
    }

    /** Ports for the regions, known before the servers start because each region's peers need them. */
    private static int[] freePorts(int n) throws Exception {
        int[] out = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                out[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return out;
    }
}
