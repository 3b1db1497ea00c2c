package io.tally.alerting;

import io.tally.engine.api.PointBatch;
import io.tally.engine.util.MetricsRegistry;
import io.tally.query.GraphiteHttpServer;
import io.tally.query.QueryLimits;
import io.tally.query.QueryServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Evaluation cost and Nagios poll latency under load: {@code alerts × regions} instances, each over its own stored
 * series (20 minutes of minutely points, one new point per series and round), evaluated once per simulated minute
 * on the evaluation pool while one client polls {@code /alerting/nagios/{alert}/{region}} as check_http does (a new
 * connection per poll) as fast as it can. Prints the round times (p50, p99, max) and the poll latency (p50, p99).
 *
 * <p>Short by default (1,000 instances, 3 rounds); {@code -Dtally.long=true} runs the figure: 10,000
 * instances (1,000 alerts × 10 regions), 10 rounds. The environment variable
 * {@code TALLY_BENCH_EVAL_THREADS} sets the evaluation pool's size (default: the service's default).
 */
class AlertingBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void evaluationRoundsAndPollLatency() throws Exception {
        boolean full = Boolean.getBoolean("tally.long");
        int alerts = full ? 1_000 : 100;
        int regionCount = 10;
        int rounds = full ? 10 : 3;
        List<String> regions = new ArrayList<>();
        for (int r = 0; r < regionCount; r++) {
            regions.add("r" + r);
        }
        StringBuilder yaml = new StringBuilder("alerts:\n");
        for (int a = 0; a < alerts; a++) {
            yaml.append("  - {id: a").append(a).append(", query: {target: 'apps.${region}.h").append(a)
                    .append(".errors', window: 10m}, reduce: avg, condition: {direction: above, warn: 60, crit: 90}}\n");
        }
        Path defs = dir.resolve("alerts.yaml");
        Files.writeString(defs, yaml);
        Random rnd = new Random(7);
        try (TestStore store = new TestStore(dir.resolve("storage"), Rig.T0)) {
            long t = Rig.T0 / 60 * 60;
            for (int m = 20; m >= 1; m--) {
                write(store, regions, alerts, t - 60L * m, rnd);
            }
            AlertingConfig d = AlertingConfig.defaults(defs);
            AlertingConfig cfg = new AlertingConfig(defs, d.reloadSeconds(),
                    evalThreads(d.evalThreads()), true, d.webhooks(),
                    d.apiBaseUrl(), d.webhookTimeoutMillis(), d.webhookAttempts(), d.webhookBackoffMillis(),
                    d.limits());
            try (AlertingService svc = AlertingService.create(cfg, store.renderer, store.clock,
                    new MetricsRegistry(), dir.resolve("data"), "r0", regions);
                 QueryServer http = QueryServer.start(store.engine, store.clock, QueryLimits.defaults(),
                         new GraphiteHttpServer.Settings("127.0.0.1", 0, "r0", ZoneOffset.UTC, 1 << 20),
                         new MetricsRegistry(), List.of(svc.httpExtension()))) {
                int instances = svc.engine().instances().size();
                assertThat(instances).isEqualTo(alerts * regionCount);
                svc.engine().runDue(store.clock.currentTimeMillis()); // warm-up round (first evaluation)
                AtomicBoolean running = new AtomicBoolean(true);
                AtomicInteger phase = new AtomicInteger(WARM);
                CountDownLatch warm = new CountDownLatch(2_000); // polls before measuring (JIT, connection)
                CountDownLatch idleDone = new CountDownLatch(2_000);
                long[] polls = new long[2_000_000];
                long[] idle = new long[2_000];
                int[] pollCount = {0, 0};
                Thread poller = new Thread(() -> poll(http.port(), alerts, regionCount, running, phase,
                        new CountDownLatch[]{warm, idleDone}, polls, idle, pollCount), "bench-poller");
                poller.start();
                assertThat(warm.await(60, TimeUnit.SECONDS)).isTrue();
                phase.set(LOADED);
                long[] roundMillis = new long[rounds];
                for (int i = 0; i < rounds; i++) {
                    store.clock.advanceSeconds(60);
                    write(store, regions, alerts, store.clock.nowSeconds() / 60 * 60 - 60, rnd);
                    long s = System.nanoTime();
                    int n = svc.engine().runDue(store.clock.currentTimeMillis());
                    roundMillis[i] = (System.nanoTime() - s) / 1_000_000;
                    assertThat(n).isEqualTo(instances);
                }
                phase.set(IDLE);
                assertThat(idleDone.await(60, TimeUnit.SECONDS)).isTrue();
                running.set(false);
                poller.join(); // the counts are read after join: happens-before
                long[] p = Arrays.copyOf(polls, pollCount[0]);
                Arrays.sort(p);
                long[] q = Arrays.copyOf(idle, pollCount[1]);
                Arrays.sort(q);
                long[] r = roundMillis.clone();
                Arrays.sort(r);
                System.out.printf("alerting bench: %d instances, %d eval threads, %d rounds: round ms p50=%d p99=%d max=%d "
                                + "(%.1f evaluations/s); nagios polls during rounds: %d, p50=%.3f ms p99=%.3f ms; "
                                + "idle: %d, p50=%.3f ms p99=%.3f ms%n",
                        instances, cfg.evalThreads(), rounds, r[r.length / 2], r[Math.max(0, (int) Math.ceil(r.length * 0.99) - 1)],
                        r[r.length - 1], instances * 1000.0 / Math.max(1, r[r.length / 2]), p.length,
                        p.length == 0 ? 0 : p[p.length / 2] / 1e6,
                        p.length == 0 ? 0 : p[Math.max(0, (int) Math.ceil(p.length * 0.99) - 1)] / 1e6,
                        q.length, q[q.length / 2] / 1e6, q[Math.max(0, (int) Math.ceil(q.length * 0.99) - 1)] / 1e6);
                // what a poll costs the server itself: the report and its plugin text, no HTTP
                Random pick = new Random(5);
                int ops = 200_000;
                long chars = 0;
                long s0 = System.nanoTime();
                for (int i = 0; i < ops; i++) {
                    Report rep = svc.engine().report("a" + pick.nextInt(alerts), "r" + pick.nextInt(regionCount),
                            false);
                    chars += NagiosFormat.body(rep, rep.state(), false).length()
                            + NagiosFormat.reason(rep, rep.state()).length();
                }
                System.out.printf("alerting bench: in-process report + plugin text: %.2f us/op (%d chars)%n",
                        (System.nanoTime() - s0) / 1e3 / ops, chars);
                assertThat(p.length).isPositive();
            }
        }
    }

    private static void write(TestStore store, List<String> regions, int alerts, long ts, Random rnd)
            throws java.io.IOException {
        PointBatch b = store.engine.newBatch();
        for (String r : regions) {
            for (int a = 0; a < alerts; a++) {
                String name = "apps." + r + ".h" + a + ".errors";
                if (!b.hasRoom(name.length())) {
                    if (!store.engine.offer(b)) {
                        store.engine.barrier();
                        store.engine.offer(b);
                    }
                    b = store.engine.newBatch();
                }
                b.add(name, ts, rnd.nextInt(100));
            }
        }
        store.engine.offer(b);
        store.engine.barrier();
    }

    private static final int WARM = 0;
    private static final int LOADED = 1;
    private static final int IDLE = 2;

    /**
     * Polls until stopped; records latencies by phase: none while warming up, then under load, then idle. Each poll is
     * what {@code check_http -H 127.0.0.1 -p PORT -u /alerting/nagios/a/r} sends: a new connection, an HTTP/1.0
     * request with {@code Connection: close}, read to the end. A plain blocking socket on this thread keeps the
     * client's own scheduling out of the figure (an {@code HttpClient} hops between three threads per request, which
     * on two busy cores adds milliseconds of its own; {@code -Dtally.bench.poll-client=httpclient} measures with it, and
     * {@code -Dtally.bench.poll-client=check_http} runs the real plugin and records the time it reports).
     */
    private static void poll(int port, int alerts, int regions, AtomicBoolean running, AtomicInteger phase,
                             CountDownLatch[] latches, long[] loaded, long[] idle, int[] count) {
        String client = System.getProperty("tally.bench.poll-client", "socket");
        boolean httpClient = "httpclient".equals(client);
        boolean plugin = "check_http".equals(client);
        HttpClient c = httpClient ? HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build() : null;
        Random rnd = new Random(3);
        byte[] buf = new byte[16 << 10];
        while (running.get() && count[0] < loaded.length) {
            String path = "/alerting/nagios/a" + rnd.nextInt(alerts) + "/r" + rnd.nextInt(regions);
            long s = System.nanoTime();
            int status;
            long took = -1;
            try {
                if (plugin) {
                    took = checkHttpPlugin(port, path);
                    status = 200;
                } else if (httpClient) {
                    HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    status = r.statusCode();
                } else {
                    status = checkHttpPoll(port, path, buf);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (took < 0) {
                took = System.nanoTime() - s;
            }
            if (status != 200 && status != 429 && status != 503) {
                throw new IllegalStateException("poll of " + path + " answered " + status);
            }
            switch (phase.get()) {
                case WARM -> latches[0].countDown();
                case LOADED -> loaded[count[0]++] = took;
                default -> {
                    if (count[1] < idle.length) {
                        idle[count[1]++] = took;
                    }
                    latches[1].countDown();
                }
            }
        }
    }

    /**
     * Runs the real plugin ({@code -Dtally.bench.poll-client=check_http}) and returns the response time it reports in
     * its perfdata ({@code time=0.000412s}: connect to end of answer, as Nagios graphs it), in nanoseconds. Starting
     * a process per poll costs the machine far more than the poll, so this mode polls a few hundred times a second.
     */
    private static long checkHttpPlugin(int port, String path) throws java.io.IOException, InterruptedException {
        Process p = new ProcessBuilder(NagiosCheckHttpTest.CHECK_HTTP.toString(), "-H", "127.0.0.1", "-p",
                String.valueOf(port), "-u", path).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("time=([0-9.]+)s").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no time in check_http's output: " + out);
        }
        return (long) (Double.parseDouble(m.group(1)) * 1e9);
    }

    /** One request as check_http 2.3.3 makes it; returns the status code. */
    private static int checkHttpPoll(int port, String path, byte[] buf) throws java.io.IOException {
        try (java.net.Socket sock = new java.net.Socket()) {
            sock.setTcpNoDelay(true);
            sock.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
            sock.setSoTimeout(10_000);
            sock.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nUser-Agent: check_http/v2.3.3 "
                    + "(monitoring-plugins 2.3.3)\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.InputStream in = sock.getInputStream();
            int len = 0;
            for (int n; (n = in.read(buf, len, buf.length - len)) > 0; ) {
                len += n;
            }
            // "HTTP/1.0 200 OK": the code is at 9..12
            if (len < 12) {
                throw new java.io.IOException("short answer: " + len + " bytes");
            }
            return Integer.parseInt(new String(buf, 9, 3, java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    private static int evalThreads(int dflt) {
        String v = System.getenv("TALLY_BENCH_EVAL_THREADS");
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.strip());
    }
}
