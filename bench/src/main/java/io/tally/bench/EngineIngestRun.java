package io.tally.bench;

import io.tally.engine.api.PointBatch;
import io.tally.engine.config.StorageSchemas;
import io.tally.engine.storage.Engine;
import io.tally.engine.storage.EngineOptions;
import io.tally.engine.util.MetricsRegistry;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * In-process storage ingest run (no network): {@code series × points} at a 10 s step, ordered by time as
 * reporters send them, offered to the engine in batches; then a checkpoint with full compaction. Prints points/s
 * applied, bytes per point on disk (all archives, WAL excluded after the checkpoint) and heap per series.
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -Xmx4g -cp bench/target/benchmarks.jar io.tally.bench.EngineIngestRun --series 100000 --points 100
 * </pre>
 */
public final class EngineIngestRun {
    private EngineIngestRun() {
    }

    public static void main(String[] args) throws Exception {
        int series = 100_000;
        int points = 100;
        int shards = 2;
        Path dir = Files.createTempDirectory("tally-engine-run");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--series" -> series = Integer.parseInt(args[++i]);
                case "--points" -> points = Integer.parseInt(args[++i]);
                case "--shards" -> shards = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        byte[][] names = new byte[series][];
        for (int s = 0; s < series; s++) {
            names[s] = String.format("app%02d.region%d.host%04d.svc%d.metric%02d", s % 50, s % 3, s / 50 % 2000,
                    s % 7, s % 13).getBytes(StandardCharsets.UTF_8);
        }
        Random rnd = new Random(42);
        double[] state = new double[series];
        long now = System.currentTimeMillis() / 1000;
        long start = now - (long) points * 10;
        start -= start % 10;
        MetricsRegistry metrics = new MetricsRegistry();
        EngineOptions opts = EngineOptions.builder(dir)
                .schemas(StorageSchemas.parse("[default]\npattern=.*\nretentions=10s:1d,1m:30d,1h:2y\n", "bench"))
                .shards(shards).metrics(metrics).build();
        long heapBefore = usedHeapAfterGc();
        long t0 = System.nanoTime();
        long total = 0;
        try (Engine e = Engine.open(opts)) {
            PointBatch b = e.newBatch();
            for (int p = 0; p < points; p++) {
                long ts = start + p * 10L;
                for (int s = 0; s < series; s++) {
                    double v = switch (s % 4) {
                        case 0 -> state[s] += rnd.nextInt(100);           // counter
                        case 1 -> Math.round((50 + rnd.nextGaussian() * 10) * 100) / 100.0; // gauge, 2 decimals
                        case 2 -> rnd.nextInt(4);                          // small integers
                        default -> 42;                                     // constant
                    };
                    if (!b.add(names[s], 0, names[s].length, ts, v)) {
                        if (!e.offer(b)) {
                            while (e.backlogBytes() > opts.maxBacklogBytes() / 2) {
                                Thread.onSpinWait();
                            }
                        }
                        b = e.newBatch();
                        b.add(names[s], 0, names[s].length, ts, v);
                    }
                    total++;
                }
            }
            e.offer(b);
            e.barrier();
            long applied = System.nanoTime() - t0;
            System.gc();
            long heapAfter = usedHeapAfterGc();
            System.out.printf("ingest: %d points for %d series in %.2f s = %.0f points/s applied%n", total, series,
                    applied / 1e9, total / (applied / 1e9));
            System.out.printf("heap: %.0f bytes per series with the whole window in the head%n",
                    (heapAfter - heapBefore) / (double) series);
            e.checkpoint(true);
            long heapFlushed = usedHeapAfterGc();
            System.out.printf("heap after checkpoint: %.0f bytes per series%n",
                    (heapFlushed - heapBefore) / (double) series);
            if (Boolean.getBoolean("hold")) {
                System.out.println("holding for a heap histogram (jcmd <pid> GC.class_histogram)");
                Thread.sleep(30_000);
            }
            long seg = sizeOf(dir, ".tsg");
            System.out.printf("disk: %d segment bytes = %.3f bytes per ingested point (all archives)%n", seg,
                    seg / (double) total);
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static long sizeOf(Path dir, String suffix) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
