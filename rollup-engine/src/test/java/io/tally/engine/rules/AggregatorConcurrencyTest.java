package io.tally.engine.rules;

import io.tally.engine.rules.CapturingSink.Point;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several shard threads feed overlapping outputs while another thread flushes; the last value emitted for every
 * (output, interval) must equal the aggregate of all points, whatever the interleaving.
 */
class AggregatorConcurrencyTest {
    private static final int THREADS = 4;
    private static final int POINTS_PER_THREAD = Boolean.getBoolean("tally.long") ? 500_000 : 20_000;
    private static final int GROUPS = 16;
    private static final long BASE = 1_700_000_000L;

    private record In(String metric, long ts, double value) {
    }

    @RepeatedTest(3)
    void stripedBuffersLoseNoPointUnderConcurrentAcceptAndFlush(RepetitionInfo info) throws Exception {
        AggregationRules rules = AggregationRules.parse("""
                sum.<g> (10) = sum in.<g>.*
                cnt.<g> (10) = count in.<g>.*
                max.<g> (10) = max in.<g>.*
                p50.<g> (10) = p50 in.<g>.*
                all (10) = count in.*.*
                """, "aggregation-rules.conf");
        CapturingSink sink = new CapturingSink(4096);
        Aggregator aggregator = new Aggregator(rules, sink, Aggregator.Options.defaults().withStripes(4));

        List<List<In>> perThread = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Random r = new Random(info.getCurrentRepetition() * 1000L + t);
            List<In> points = new ArrayList<>(POINTS_PER_THREAD);
            for (int i = 0; i < POINTS_PER_THREAD; i++) {
                points.add(new In("in.g" + r.nextInt(GROUPS) + ".h" + r.nextInt(8), BASE + r.nextInt(40),
                        r.nextInt(1000)));
            }
            perThread.add(points);
        }

        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> writers = new ArrayList<>();
            for (List<In> points : perThread) {
                writers.add(pool.submit(() -> {
                    start.await();
                    for (In p : points) {
                        aggregator.accept(p.metric(), p.ts(), p.value());
                    }
                    return null;
                }));
            }
            Future<?> flusher = pool.submit(() -> {
                start.await();
                for (int k = 0; k < 40; k++) {
                    aggregator.flush(BASE + k);
                }
                return null;
            });
            start.countDown();
            for (Future<?> w : writers) {
                w.get();
            }
            flusher.get();
        } finally {
            pool.shutdownNow();
        }
        aggregator.flush(BASE + 40);

        Map<String, Double> lastEmitted = new LinkedHashMap<>();
        for (Point p : sink.take()) {
            lastEmitted.put(p.name() + "@" + p.timestamp(), p.value());
        }
        assertThat(lastEmitted).isEqualTo(expected(perThread));
        assertThat(aggregator.droppedPoints()).isZero();
    }

    private static Map<String, Double> expected(List<List<In>> perThread) {
        Map<String, List<Double>> byGroup = new HashMap<>();
        Map<Long, Integer> all = new HashMap<>();
        for (List<In> points : perThread) {
            for (In p : points) {
                String g = p.metric().split("\\.")[1];
                long interval = p.ts() - p.ts() % 10;
                byGroup.computeIfAbsent(g + "@" + interval, k -> new ArrayList<>()).add(p.value());
                all.merge(interval, 1, Integer::sum);
            }
        }
        Map<String, Double> out = new HashMap<>();
        byGroup.forEach((key, values) -> {
            double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double rank = 0.5 * (v.length - 1);
            int l = (int) Math.floor(rank);
            int r = (int) Math.ceil(rank);
            out.put("sum." + key, Arrays.stream(v).sum());
            out.put("cnt." + key, (double) v.length);
            out.put("max." + key, v[v.length - 1]);
            out.put("p50." + key, l == r ? v[l] : v[l] * (r - rank) + v[r] * (rank - l));
        });
        all.forEach((interval, n) -> out.put("all@" + interval, (double) n));
        return out;
    }
}
