package io.tally.server;

import io.tally.engine.util.Clock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.ingest.CarbonReceivers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code tally train}: a short run of the whole server in this JVM, made for the JDK's ahead-of-time cache
 * ({@code java -XX:AOTCacheOutput=tally.aot -jar tally.jar train}; {@code bin/tally} does it once per build). The
 * cache then holds the classes loaded and linked, and the method profiles, of a server that ingested and answered
 * queries, so a server started with {@code -XX:AOTCache} compiles its hot code from the first second instead of
 * profiling it first (JEP 483, JEP 515).
 *
 * <p>What it runs, on 127.0.0.1 with ephemeral ports and a temporary data directory (retentions
 * {@code 10s:6h,1m:7d,10m:5y}): a backfill burst over two plaintext TCP connections ({@code series} × 60 points,
 * 10 s apart, ending now, four name levels, six kinds of values, one kind reporting one point in three), tagged
 * series, UDP lines and pickle frames; then three rounds of the requests a Grafana Graphite data source sends (render
 * of paths, globs and common functions as JSON and CSV, with and without maxDataPoints; find; tags; functions),
 * with a pause after the first round for the checkpointer to seal the older head chunks and the first 12 points of
 * every series sent again, so that the later rounds, and the writes, meet chunks in both their forms (a profile
 * that saw only one form makes the JIT compile the read and rollup paths again when the other shows up).
 * Every request must answer 200, and the render of one dense series must show all its points, or training fails
 * (exit 1): a cache trained on errors would be worth nothing.
 */
final class Training {
    static final int POINTS = 60;
    /** Points sent again, the same values, after the first round of requests: late writes into older chunks. */
    private static final int LATE_POINTS = 12;
    private static final long SEAL_WAIT_MS = 2_500;
    private static final String[] GROUPS = {"cpu", "mem", "disk", "net"};
    private static final String[] METRICS = {"user", "system", "idle", "used", "free"};

    private final PrintWriter out;
    private final int series;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Training(PrintWriter out, int series) {
        this.out = out;
        this.series = series;
    }

    /** Runs the training; returns the exit code. */
    int run() throws Exception {
        Path dir = Files.createTempDirectory("tally-train");
        try {
            Map<String, String> flags = loopback(dir);
            flags.put("self-metrics.interval", "0");
            // a common carbon set-up: 10 s points rolled up into two coarser archives
            Path schemas = Files.writeString(dir.resolve("storage-schemas.conf"),
                    "[default]\npattern = .*\nretentions = 10s:6h,1m:7d,10m:5y\n");
            flags.put("storage.schemas", schemas.toString());
            ServerConfig cfg = ServerConfig.load(null, Map.of(), flags);
            TallyServer server = new TallyServer(cfg, Main::openEngine, Main::receivers, new MetricsRegistry(),
                    Clock.SYSTEM);
            server.start();
            try {
                return train(server);
            } finally {
                server.stop();
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** Settings of a server on 127.0.0.1 with ephemeral HTTP, plaintext and pickle ports, its data in {@code dir}. */
    static Map<String, String> loopback(Path dir) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("data-dir", dir.toString());
        flags.put("http.host", "127.0.0.1");
        flags.put("http.port", "0");
        flags.put("carbon.host", "127.0.0.1");
        flags.put("carbon.port", "0");
        flags.put("pickle.port", "0");
        return flags;
    }

    private int train(TallyServer server) throws Exception {
        long t0 = System.nanoTime();
        long now = System.currentTimeMillis() / 1000 / 10 * 10; // on the 10 s grid
        long first = now - (POINTS - 1) * 10L;
        Map<String, Integer> ports = server.receiverPorts();
        ingest(ports.get(CarbonReceivers.PLAINTEXT_TCP), first, POINTS);
        sendUdp(ports.get(CarbonReceivers.PLAINTEXT_UDP), now);
        sendPickle(ports.get(CarbonReceivers.PICKLE_TCP), now);
        String base = "http://127.0.0.1:" + server.httpPort();
        String window = "&from=" + (first - 1) + "&until=" + now;
        String probe = base + "/render?format=json&target=" + name(lastDenseSeries(), 0) + window;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (countValues(get(probe)) < POINTS) {
            if (System.nanoTime() > deadline) {
                String answer = get(probe);
                out.println("tally train: the last series did not become queryable within 60 s: " + probe + " gave "
                        + countValues(answer) + " of " + POINTS + " points: " + answer);
                return 1;
            }
            Thread.sleep(50);
        }
        int requests = 0;
        for (int round = 0; round < 3; round++) {
            if (round == 1) {
                // the checkpointer seals the burst's older chunks within a second or two once the burst is over; then
                // late points rewrite sealed chunks, and later rounds read both forms (see the class comment)
                Thread.sleep(SEAL_WAIT_MS);
                ingest(ports.get(CarbonReceivers.PLAINTEXT_TCP), first, LATE_POINTS);
            }
            for (String path : requests(window)) {
                get(base + path);
                requests++;
            }
        }
        out.printf(Locale.ROOT, "tally train: %d series x %d points, %d requests in %.1f s%n", series, POINTS,
                requests, (System.nanoTime() - t0) / 1e9);
        out.flush();
        return 0;
    }

    /** Kinds of series in the burst, by {@code i % KINDS}: see {@link #value}. */
    private static final int KINDS = 6;
    /** The kind that reports one point in three (gaps: the codec's presence runs, rollups with few known slots). */
    private static final int SPARSE = 5;

    /**
     * Point {@code p} of series {@code i}, by kind, so that checkpoints encode every value form real data has (the
     * JIT then compiles the codec for all of them, instead of compiling it again whenever a new form shows up): a
     * counter, a gauge with two decimals, small integers, a constant, full-precision doubles, and sparse decimals.
     */
    private static String value(int i, int p) {
        return switch (i % KINDS) {
            case 0 -> Long.toString(1_000L * i + (long) p * (i % 97 + 1) * 13);
            case 1 -> Double.toString(((i * 31 + p * 7) % 10_000) / 100.0);
            case 2 -> Integer.toString((i + p) % 4);
            case 3 -> "42";
            case 4 -> Double.toString(Math.sin(i + p * 0.1) * 1_000);
            default -> Double.toString(((i * 17 + p) % 1_000) / 10.0);
        };
    }

    /** The last series of the burst that reports every point (what training waits for). */
    private int lastDenseSeries() {
        int i = series - 1;
        while (i > 0 && i % KINDS == SPARSE) {
            i--;
        }
        return i;
    }

    /** {@code train.h00042.cpu.user}: series {@code i}'s name; {@code k} picks one of its group's metrics. */
    private static String name(int i, int k) {
        return String.format(Locale.ROOT, "train.h%05d.%s.%s", i / 20, GROUPS[(i / 5) % GROUPS.length],
                METRICS[(i + k) % METRICS.length]);
    }

    /** The first {@code points} points of every series of the burst, over two plaintext TCP connections. */
    private void ingest(int port, long first, int points) throws Exception {
        List<Thread> senders = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            int connection = c;
            Thread t = new Thread(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    OutputStream o = new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16);
                    StringBuilder line = new StringBuilder(64);
                    for (int p = 0; p < points; p++) {
                        for (int i = connection; i < series; i += 2) {
                            if (i % KINDS == SPARSE && p % 3 != 0) {
                                continue;
                            }
                            line.setLength(0);
                            line.append(name(i, 0)).append(' ').append(value(i, p)).append(' ')
                                    .append(first + p * 10L).append('\n');
                            o.write(line.toString().getBytes(StandardCharsets.UTF_8));
                        }
                        if (connection == 0) {
                            line.setLength(0);
                            line.append("train.tagged;dc=eu;host=h").append(p % 7).append(' ').append(p).append(' ')
                                    .append(first + p * 10L).append('\n');
                            o.write(line.toString().getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    o.flush();
                } catch (IOException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "tally-train-send-" + c);
            t.start();
            senders.add(t);
        }
        for (Thread t : senders) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    private static void sendUdp(int port, long now) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            for (int i = 0; i < 50; i++) {
                byte[] b = ("train.udp.m" + (i % 5) + " " + i + " " + now + "\n").getBytes(StandardCharsets.UTF_8);
                s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    /** Pickle protocol 2 frames of {@code [(path, (timestamp, value)), ...]}, as carbon's clients send them. */
    private static void sendPickle(int port, long now) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream o = s.getOutputStream();
            for (int frame = 0; frame < 10; frame++) {
                ByteArrayOutputStream p = new ByteArrayOutputStream();
                p.write(new byte[]{(byte) 0x80, 2, ']', '('});
                for (int i = 0; i < 100; i++) {
                    byte[] path = ("train.pickle.m" + i).getBytes(StandardCharsets.UTF_8);
                    p.write('X');
                    p.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(path.length).array());
                    p.write(path);
                    p.write('J');
                    p.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) now - frame * 10)
                            .array());
                    p.write('G');
                    p.write(ByteBuffer.allocate(8).putDouble(i + frame / 10.0).array());
                    p.write(new byte[]{(byte) 0x86, (byte) 0x86});
                }
                p.write(new byte[]{'e', '.'});
                o.write(ByteBuffer.allocate(4).putInt(p.size()).array());
                p.writeTo(o);
            }
            o.flush();
        }
    }

    /** The requests of one round: what Grafana's Graphite data source and its query editor send. */
    private static List<String> requests(String window) {
        List<String> out = new ArrayList<>();
        for (String target : List.of(
                name(0, 0), name(1, 0), "train.h0000*.cpu.*", "train.h0000{1,2}.mem.used",
                "sumSeries(train.*.cpu.user)", "averageSeries(train.*.mem.*)", "sumSeries(isNonNull(train.h000*.*.*))",
                "sumSeries(isNonNull(train.h00[0-3]*.*.*))",
                "maxSeries(scale(train.*.disk.*,8))", "aliasByNode(train.h000*.cpu.user,1)",
                "highestMax(train.*.cpu.user,5)", "summarize(train.h00001.*.*,'1min','max')",
                "groupByNode(train.*.net.*,2,'sumSeries')", "perSecond(train.h0001*.net.*)",
                "asPercent(train.h00001.cpu.*)", "movingAverage(train.h00002.cpu.user,5)",
                "seriesByTag('dc=eu')", "sumSeries(train.udp.*)", "train.pickle.*")) {
            String t = URLEncoder.encode(target, StandardCharsets.UTF_8);
            out.add("/render?format=json&target=" + t + window);
            out.add("/render?format=json&maxDataPoints=20&target=" + t + window);
        }
        out.add("/render?format=csv&target=train.h0000*.cpu.*" + window);
        out.add("/metrics/find?query=train.*");
        out.add("/metrics/find?query=train.h0000*.*");
        out.add("/metrics/expand?query=train.h0000*.cpu.*");
        out.add("/tags");
        out.add("/tags/autoComplete/tags?expr=dc%3Deu");
        out.add("/tags/autoComplete/values?tag=host&expr=dc%3Deu");
        out.add("/functions");
        return out;
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** Non-null values in a render JSON answer, over all its series. */
    private static int countValues(String json) {
        int n = 0;
        for (Object series : new JsonArray(json)) {
            for (Object point : ((JsonObject) series).getJsonArray("datapoints")) {
                if (((JsonArray) point).getValue(0) != null) {
                    n++;
                }
            }
        }
        return n;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
