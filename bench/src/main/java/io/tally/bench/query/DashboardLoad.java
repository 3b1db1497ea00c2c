package io.tally.bench.query;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop dashboard load against one Graphite-compatible HTTP server, one kind of request after the other
 * ({@code --kinds render,find}): every round sends that kind's requests of {@link Dashboard} (20 render panels or
 * 8 find requests) through a fixed number of worker threads, each
 * waiting for its answer before taking the next request, like a browser with that many connections.
 *
 * <p>Round 0 is a warm-up and is not recorded. The run stops after {@code --rounds} measured rounds or, at the end
 * of a round, once {@code --max-seconds} have passed. Every latency (request sent to body read) goes into one
 * HdrHistogram per kind through a {@link Recorder} (thread-safe, no lock). A non-200 answer counts as an error and
 * its latency is not recorded. The warm-up also records, per request, the number of series in the answer (render:
 * {@code "target"} keys; find: {@code "id"} / {@code "path"} keys) so two servers' answers can be compared.
 *
 * <p>Output: one {@code PANEL} line per request of the warm-up round, then one {@code RESULT} line per kind with
 * requests, errors, median, p90, p99, max (ms) and requests/s (recorded requests / wall time of the measured rounds).
 */
public final class DashboardLoad {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final String baseUrl;
    private final String label;
    private final List<Dashboard.Request> requests;
    private final int concurrency;
    private final int rounds;
    private final int warmupRounds;
    private final long maxNanos;
    private final HttpClient client;
    private final Map<String, Recorder> recorders = new LinkedHashMap<>();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();

    DashboardLoad(String baseUrl, String label, List<Dashboard.Request> requests, int concurrency, int rounds,
            int warmupRounds, long maxSeconds) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.label = label;
        this.requests = requests;
        this.concurrency = concurrency;
        this.rounds = rounds;
        this.warmupRounds = warmupRounds;
        this.maxNanos = Duration.ofSeconds(maxSeconds).toNanos();
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        for (Dashboard.Request r : requests) {
            recorders.computeIfAbsent(r.kind(), k -> new Recorder(3));
            errors.computeIfAbsent(r.kind(), k -> new AtomicLong());
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> opt = new LinkedHashMap<>(Map.of("concurrency", "4", "rounds", "10",
                "max-seconds", "300", "kinds", "render,find", "label", "target", "warmup-rounds", "1"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage("unexpected argument " + args[i]);
            }
            opt.put(args[i].substring(2), args[i + 1]);
        }
        if (opt.containsKey("list")) { // the request paths of one kind, one per line (for wrk scripts)
            for (Dashboard.Request r : "find".equals(opt.get("list")) ? Dashboard.finds() : Dashboard.renders()) {
                System.out.println(r.path());
            }
            return;
        }
        if (args.length % 2 != 0 || !opt.containsKey("url")) {
            usage("--url is required");
        }
        boolean ok = true;
        for (String kind : opt.get("kinds").split(",")) {
            List<Dashboard.Request> requests = switch (kind) {
                case "render" -> Dashboard.renders();
                case "find" -> Dashboard.finds();
                default -> {
                    usage("unknown kind " + kind);
                    yield List.of();
                }
            };
            String rounds = kind.equals("find") ? opt.getOrDefault("find-rounds", opt.get("rounds")) : opt.get("rounds");
            DashboardLoad load = new DashboardLoad(opt.get("url"), opt.get("label"), requests,
                    Integer.parseInt(opt.get("concurrency")), Integer.parseInt(rounds),
                    Integer.parseInt(opt.get("warmup-rounds")),
                    Long.parseLong(opt.get("max-seconds")));
            ok &= load.run();
        }
        System.exit(ok ? 0 : 2);
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nUsage: DashboardLoad --url BASE [--label NAME] [--kinds render,find]"
                + " [--concurrency 4] [--rounds 10] [--find-rounds ROUNDS] [--warmup-rounds 1] [--max-seconds 300]"
                + "\n       DashboardLoad --list find|render     (print the request paths)");
        System.exit(1);
    }

    /** Runs the warm-up and the measured rounds, prints the report; false when any request failed. */
    boolean run() throws InterruptedException {
        System.out.printf(Locale.ROOT, "dashboard load on %s (%s): %d requests per round, concurrency %d, "
                + "up to %d rounds or %d s%n", label, baseUrl, requests.size(), concurrency, rounds, maxNanos / 1_000_000_000L);
        int[] seriesCounts = new int[requests.size()];
        long warmStart = System.nanoTime();
        round(seriesCounts, false);
        for (int w = 1; w < warmupRounds; w++) {
            round(null, false);
        }
        System.out.printf(Locale.ROOT, "warm-up round: %.2f s%n", (System.nanoTime() - warmStart) / 1e9);
        for (int i = 0; i < requests.size(); i++) {
            Dashboard.Request r = requests.get(i);
            System.out.printf(Locale.ROOT, "PANEL target=%s name=%s series=%d query=%s%n", label, r.name(),
                    seriesCounts[i], Dashboard.target(r.name()).replace(' ', '_'));
        }
        for (Map.Entry<String, AtomicLong> e : errors.entrySet()) {
            e.getValue().set(0);
        }
        recorders.values().forEach(Recorder::reset);

        long start = System.nanoTime();
        int done = 0;
        while (done < rounds && System.nanoTime() - start < maxNanos) {
            round(null, true);
            done++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        boolean ok = true;
        for (Map.Entry<String, Recorder> e : recorders.entrySet()) {
            Histogram h = e.getValue().getIntervalHistogram();
            long errs = errors.get(e.getKey()).get();
            ok &= errs == 0;
            System.out.printf(Locale.ROOT, "RESULT target=%s kind=%s rounds=%d concurrency=%d requests=%d errors=%d "
                            + "median_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f mean_ms=%.1f wall_s=%.1f req_per_s=%.2f%n",
                    label, e.getKey(), done, concurrency, h.getTotalCount(), errs,
                    h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
                    h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3, h.getMean() / 1e3, seconds,
                    h.getTotalCount() / seconds);
        }
        return ok;
    }

    /** One round: every request once, taken in order by {@code concurrency} threads. */
    private void round(int[] seriesCounts, boolean record) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>(concurrency);
        for (int w = 0; w < concurrency; w++) {
            workers.add(Thread.ofPlatform().name("dashboard-" + w).start(() -> {
                int i;
                while ((i = next.getAndIncrement()) < requests.size()) {
                    Dashboard.Request r = requests.get(i);
                    long t0 = System.nanoTime();
                    String body = send(r);
                    long micros = (System.nanoTime() - t0) / 1000;
                    if (body == null) {
                        errors.get(r.kind()).incrementAndGet();
                        continue;
                    }
                    if (record) {
                        recorders.get(r.kind()).recordValue(Math.max(1, micros));
                    }
                    if (seriesCounts != null) {
                        seriesCounts[i] = r.kind().equals("render") ? count(body, "\"target\"")
                                : Math.max(count(body, "\"id\""), count(body, "\"path\""));
                    }
                }
            }));
        }
        for (Thread t : workers) {
            t.join();
        }
    }

    /** The answer's body, or null (reported on stderr) on a failure or a status other than 200. */
    private String send(Dashboard.Request r) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + r.path())).timeout(TIMEOUT);
        if (r.body() != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(r.body()));
        }
        try {
            HttpResponse<String> response = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                String text = response.body();
                System.err.printf("%s %s: HTTP %d %s%n", label, r.name(), response.statusCode(),
                        text.substring(0, Math.min(200, text.length())).replace('\n', ' '));
                return null;
            }
            return response.body();
        } catch (IOException e) {
            System.err.printf("%s %s: %s%n", label, r.name(), e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
