package io.tally.query;

import io.tally.engine.api.PointBatch;
import io.tally.engine.config.StorageAggregation;
import io.tally.engine.config.StorageSchemas;
import io.tally.engine.name.MetricName;
import io.tally.engine.storage.Engine;
import io.tally.engine.storage.EngineOptions;
import io.tally.engine.util.ManualClock;
import io.tally.engine.util.MetricsRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
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
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Graphite conformance set end to end: the data set of {@code shared/conformance/gen_dataset.py} is written
 * into a real {@link Engine} at the recorded time (clock at {@code T + 30} while feeding, then at
 * {@code T + golden_recorded_seconds_after_T}), a {@link GraphiteHttpServer} serves it on an ephemeral port, and
 * every request of {@code queries.jsonl} is replayed and compared with graphite-web's recorded answer by the rules
 * of {@code run_oracle.py} (same status; for render answers the same series names in the same order, the same
 * timestamps and values equal within 1e-9 relative; a 4xx where graphite-web failed with 500; a 400 accepted where
 * graphite-web silently accepted malformed input).
 *
 * <p>Prints every failure and the pass counts; fails when the number of passing {@code /render} queries drops
 * below {@link #RENDER_FLOOR} or the number of passing queries of all endpoints below {@link #TOTAL_FLOOR}.
 * Skipped when the shared directory or python3 is missing.
 */
class ConformanceRenderTest {
    /** Passing /render queries (of 175) at the time of writing: raise it when more pass, never lower it. */
    static final int RENDER_FLOOR = 175;
    /** Passing queries of every endpoint (of 203) at the time of writing: raise it when more pass, never lower it. */
    static final int TOTAL_FLOOR = 203;
    private static final double REL_TOL = 1e-9;
    private static final double ABS_TOL = 1e-12;

    @TempDir
    Path dir;

    static Path conformanceDir() {
        return Path.of(System.getProperty("tally.shared", "../../shared")).resolve("conformance");
    }

    @Test
    void replaysTheConformanceSet() throws Exception {
        Path conf = conformanceDir();
        Assumptions.assumeTrue(Files.isRegularFile(conf.resolve("gen_dataset.py")),
                "shared/conformance not found (set -Dtally.shared)");
        String manifest = Files.readString(conf.resolve("manifest.json"));
        long t = new JsonObject(manifest).getLong("T");
        long recordedAfter = new JsonObject(manifest).getLong("golden_recorded_seconds_after_T");
        ManualClock clock = new ManualClock(t + 30);
        EngineOptions opts = EngineOptions.builder(dir)
                .schemas(StorageSchemas.load(conf.resolve("storage-schemas.conf")))
                .aggregation(StorageAggregation.load(conf.resolve("storage-aggregation.conf")))
                .clock(clock).metrics(new MetricsRegistry()).shards(2).build();
        Vertx vertx = Vertx.vertx();
        try (Engine engine = Engine.open(opts)) {
            Assumptions.assumeTrue(feed(engine, conf, t) > 0, "python3 could not generate the data set");
            engine.barrier();
            clock.setSeconds(t + recordedAfter);
            engine.checkpoint(false);
            GraphiteHttpServer server = new GraphiteHttpServer(engine, clock, QueryLimits.defaults(),
                    new GraphiteHttpServer.Settings("127.0.0.1", 0, "conformance", ZoneOffset.UTC, 1 << 20),
                    new MetricsRegistry());
            vertx.deployVerticle(server).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            String base = "http://127.0.0.1:" + server.actualPort();
            replay(conf, base);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private void replay(Path conf, String base) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        int renderPass = 0;
        int renderTotal = 0;
        int otherPass = 0;
        int otherTotal = 0;
        List<String> failures = new ArrayList<>();
        for (String line : Files.readAllLines(conf.resolve("queries.jsonl"))) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject q = new JsonObject(line);
            String id = q.getString("id");
            JsonObject golden = new JsonObject(Files.readString(conf.resolve("golden").resolve(id + ".json"))
                    .replace("-Infinity", "-1e9999").replace("Infinity", "1e9999").replace("NaN", "null"));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + url(q)))
                    .header("Accept", "application/json, */*").timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String why = check(q, golden, r.statusCode(), r.body());
            String dump = System.getProperty("tally.conformance.dump");
            if (dump != null) {
                Files.createDirectories(Path.of(dump));
                Files.writeString(Path.of(dump, id + ".txt"), r.statusCode() + "\n" + r.body());
            }
            boolean render = q.getString("path").startsWith("/render");
            if (render) {
                renderTotal++;
            } else {
                otherTotal++;
            }
            if (why == null) {
                if (render) {
                    renderPass++;
                } else {
                    otherPass++;
                }
            } else {
                failures.add((render ? "FAIL render " : "FAIL other ") + id + ": "
                        + (why.length() > 300 ? why.substring(0, 300) : why));
            }
        }
        failures.forEach(System.out::println);
        System.out.printf("conformance: /render %d of %d passed; other endpoints %d of %d; total %d of %d%n",
                renderPass, renderTotal, otherPass, otherTotal, renderPass + otherPass, renderTotal + otherTotal);
        assertThat(renderPass).as("passing /render conformance queries").isGreaterThanOrEqualTo(RENDER_FLOOR);
        assertThat(renderPass + otherPass).as("passing conformance queries").isGreaterThanOrEqualTo(TOTAL_FLOOR);
    }

    /** The request URL as run_oracle.py builds it: parameters sorted by key, lists repeated. */
    static String url(JsonObject q) {
        StringBuilder b = new StringBuilder(q.getString("path"));
        JsonObject params = q.getJsonObject("params");
        char sep = '?';
        for (String k : new TreeSet<>(params.fieldNames())) {
            Object v = params.getValue(k);
            List<Object> values = new ArrayList<>();
            if (v instanceof JsonArray a) {
                a.forEach(values::add);
            } else {
                values.add(v);
            }
            for (Object x : values) {
                b.append(sep).append(enc(k)).append('=').append(enc(String.valueOf(x)));
                sep = '&';
            }
        }
        return b.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** run_oracle.py's check(): null when the answer passes. */
    static String check(JsonObject q, JsonObject golden, int status, String body) {
        int want = golden.getInteger("status");
        if (want >= 500) {
            return status >= 400 && status < 500 ? null
                    : "status " + status + " expected a 4xx client error (graphite-web itself fails with " + want + ")";
        }
        if (q.getBoolean("accept_4xx", false) && status == 400) {
            return null;
        }
        if (status != want) {
            return "status " + status + " expected " + want + " (" + shorten(body) + ")";
        }
        String mode = q.getString("compare", "series");
        if (mode.equals("status") || want >= 400) {
            return null;
        }
        if (!golden.getBoolean("body_is_json", false)) {
            return golden.getValue("body").equals(body) ? null : "body differs from golden text";
        }
        Object got;
        try {
            got = io.vertx.core.json.Json.decodeValue(body);
        } catch (RuntimeException e) {
            return "expected JSON body, got " + shorten(body);
        }
        Object exp = golden.getValue("body");
        return switch (mode) {
            case "series" -> compareSeries(exp, got);
            case "json_unordered" -> jsonEqual(canonical(exp), canonical(got), "$");
            default -> jsonEqual(exp, got, "$");
        };
    }

    private static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    static String compareSeries(Object exp, Object got) {
        if (!(exp instanceof JsonArray e) || !(got instanceof JsonArray g)) {
            return jsonEqual(exp, got, "$");
        }
        List<String> en = new ArrayList<>();
        List<String> gn = new ArrayList<>();
        for (int i = 0; i < e.size(); i++) {
            en.add(e.getJsonObject(i).getString("target"));
        }
        for (int i = 0; i < g.size(); i++) {
            if (!(g.getValue(i) instanceof JsonObject o) || !o.containsKey("target") || !o.containsKey("datapoints")) {
                return "response item " + i + " is not a series object";
            }
            gn.add(o.getString("target"));
        }
        if (!en.equals(gn)) {
            List<String> se = new ArrayList<>(en);
            List<String> sg = new ArrayList<>(gn);
            se.sort(null);
            sg.sort(null);
            return (se.equals(sg) ? "series order differs: expected " : "series names differ: expected ") + en
                    + " got " + gn;
        }
        for (int k = 0; k < e.size(); k++) {
            String name = en.get(k);
            JsonArray ep = e.getJsonObject(k).getJsonArray("datapoints");
            JsonArray gp = g.getJsonObject(k).getJsonArray("datapoints");
            if (ep.size() != gp.size()) {
                return name + ": " + ep.size() + " datapoints expected, got " + gp.size() + " (expected "
                        + (ep.isEmpty() ? "-" : ep.getJsonArray(0).getValue(1) + ".." + ep.getJsonArray(ep.size() - 1)
                        .getValue(1)) + ", got " + (gp.isEmpty() ? "-" : gp.getJsonArray(0).getValue(1) + ".."
                        + gp.getJsonArray(gp.size() - 1).getValue(1)) + ")";
            }
            for (int i = 0; i < ep.size(); i++) {
                long et = ((Number) ep.getJsonArray(i).getValue(1)).longValue();
                long gt = ((Number) gp.getJsonArray(i).getValue(1)).longValue();
                if (et != gt) {
                    return name + ": timestamp[" + i + "] expected " + et + " got " + gt;
                }
            }
            for (int i = 0; i < ep.size(); i++) {
                Object a = ep.getJsonArray(i).getValue(0);
                Object b = gp.getJsonArray(i).getValue(0);
                if (!numEqual(a, b)) {
                    return name + ": value at ts " + gp.getJsonArray(i).getValue(1) + " expected " + a + " got " + b;
                }
            }
        }
        return null;
    }

    static boolean numEqual(Object a, Object b) {
        if (a == null || b == null) {
            return a == null && b == null;
        }
        if (!(a instanceof Number x) || !(b instanceof Number y)) {
            return a.equals(b);
        }
        double p = x.doubleValue();
        double r = y.doubleValue();
        if (Double.isNaN(p) || Double.isNaN(r)) {
            return Double.isNaN(p) && Double.isNaN(r);
        }
        if (Double.isInfinite(p) || Double.isInfinite(r)) {
            return p == r;
        }
        double d = Math.abs(p - r);
        return d <= ABS_TOL || d <= REL_TOL * Math.max(Math.abs(p), Math.abs(r));
    }

    static String jsonEqual(Object a, Object b, String path) {
        if (a instanceof JsonObject x && b instanceof JsonObject y) {
            if (!x.fieldNames().equals(y.fieldNames())) {
                return path + ": keys " + new TreeSet<>(x.fieldNames()) + " vs " + new TreeSet<>(y.fieldNames());
            }
            for (String k : new TreeSet<>(x.fieldNames())) {
                String r = jsonEqual(x.getValue(k), y.getValue(k), path + "." + k);
                if (r != null) {
                    return r;
                }
            }
            return null;
        }
        if (a instanceof JsonArray x && b instanceof JsonArray y) {
            if (x.size() != y.size()) {
                return path + ": length " + x.size() + " vs " + y.size();
            }
            for (int i = 0; i < x.size(); i++) {
                String r = jsonEqual(x.getValue(i), y.getValue(i), path + "[" + i + "]");
                if (r != null) {
                    return r;
                }
            }
            return null;
        }
        if (a instanceof Number && b instanceof Number) {
            return numEqual(a, b) ? null : path + ": " + a + " vs " + b;
        }
        return java.util.Objects.equals(a, b) ? null : path + ": " + a + " vs " + b;
    }

    /** Lists sorted recursively by their JSON text, so list order does not matter. */
    static Object canonical(Object x) {
        if (x instanceof JsonObject o) {
            JsonObject out = new JsonObject();
            for (String k : o.fieldNames()) {
                out.put(k, canonical(o.getValue(k)));
            }
            return out;
        }
        if (x instanceof JsonArray a) {
            List<Object> items = new ArrayList<>();
            for (Object v : a) {
                items.add(canonical(v));
            }
            items.sort((p, r) -> encode(p).compareTo(encode(r)));
            return new JsonArray(items);
        }
        return x;
    }

    /** JSON text with object keys sorted (Python's {@code json.dumps(v, sort_keys=True)} order key). */
    private static String encode(Object o) {
        if (o instanceof JsonObject j) {
            StringBuilder b = new StringBuilder("{");
            for (String k : new TreeSet<>(j.fieldNames())) {
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append(io.vertx.core.json.Json.encode(k)).append(':').append(encode(j.getValue(k)));
            }
            return b.append('}').toString();
        }
        if (o instanceof JsonArray a) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < a.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(encode(a.getValue(i)));
            }
            return b.append(']').toString();
        }
        return io.vertx.core.json.Json.encode(o);
    }

    /** Writes the generated data set into the engine; the number of points, 0 when python3 is unavailable. */
    static long feed(Engine e, Path conf, long t) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("python3", conf.resolve("gen_dataset.py").toString(), "--T", Long.toString(t))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (java.io.IOException notInstalled) {
            return 0;
        }
        long n = 0;
        PointBatch b = e.newBatch();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8),
                1 << 16)) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                if (f.length != 3) {
                    continue;
                }
                String name = f[0].contains(";") ? MetricName.canonicalize(f[0]) : f[0];
                if (!b.hasRoom(name.length() * 3)) {
                    if (!e.offer(b)) {
                        e.barrier();
                    }
                    b = e.newBatch();
                }
                b.add(name, (long) Double.parseDouble(f[2]), Double.parseDouble(f[1]));
                n++;
            }
        }
        e.offer(b);
        return p.waitFor() == 0 ? n : 0;
    }
}
