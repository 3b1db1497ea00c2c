package io.tally.bench;

import io.tally.bench.load.WorkloadLines;
import io.tally.engine.config.StorageSchemas;
import io.tally.engine.storage.Engine;
import io.tally.engine.storage.EngineOptions;
import io.tally.engine.util.Clock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.engine.util.RateLimitedLog;
import io.tally.ingest.PlaintextParser;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The server's ingest path in one process, without sockets: the load generator's plaintext lines (same
 * {@code Workload}, encoded before timing starts) are fed, one thread per connection, through
 * {@link PlaintextParser} (parse, canonicalise, batch) into a real {@link Engine} (route, shard writers, WAL),
 * with the receivers' pause-on-backlog behaviour. It reports CPU time per point (process CPU over the run, and the
 * parser and shard-writer threads on their own) rather than wall-clock rates, because CPU time per point is what
 * can be compared on a shared machine.
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -Xmx4g -cp bench/target/benchmarks.jar io.tally.bench.IngestPathRun --series 100000 --points 40
 * </pre>
 *
 * <p>{@code --rounds N} repeats the whole workload N times over fresh engines in the same JVM (the first round
 * includes JIT warm-up; compare the later ones).
 */
public final class IngestPathRun {
    private IngestPathRun() {
    }

    public static void main(String[] args) throws Exception {
        int series = 100_000;
        int points = 40;
        int connections = 2;
        int shards = 2;
        int rounds = 3;
        String retentions = "10s:1d,1m:30d,1h:2y";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--series" -> series = Integer.parseInt(args[++i]);
                case "--points" -> points = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--shards" -> shards = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--retentions" -> retentions = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        long now = System.currentTimeMillis() / 1000;
        long start = now - (long) points * 10;
        start -= start % 10;
        byte[][][] input = WorkloadLines.encode(series, points, start, connections);
        long totalPoints = (long) series * points;
        System.gc();
        for (int r = 1; r <= rounds; r++) {
            runOnce(r, input, totalPoints, shards, retentions);
        }
    }

    private static void runOnce(int round, byte[][][] input, long total, int shards, String retentions) throws Exception {
        Path dir = Files.createTempDirectory("tally-ingest-path");
        MetricsRegistry metrics = new MetricsRegistry();
        EngineOptions opts = EngineOptions.builder(dir)
                .schemas(StorageSchemas.parse("[default]\npattern=.*\nretentions=" + retentions + "\n", "bench"))
                .shards(shards).metrics(metrics).build();
        ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Engine e = Engine.open(opts)) {
            RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(IngestPathRun.class));
            Thread[] feeders = new Thread[input.length];
            long[] feederCpu = new long[input.length];
            for (int c = 0; c < input.length; c++) {
                final int conn = c;
                PlaintextParser parser = new PlaintextParser(PlaintextParser.Options.defaults(), e, Clock.SYSTEM,
                        metrics, "plaintext_tcp", log);
                feeders[c] = new Thread(() -> {
                    for (byte[] chunk : input[conn]) {
                        // the generator's chunks hold whole lines; a socket read would be smaller, so feed 64 KiB
                        for (int off = 0; off < chunk.length; ) {
                            int end = Math.min(chunk.length, off + (64 << 10));
                            int used = parser.parse(chunk, off, end, false);
                            parser.flush();
                            if (parser.takePauseRequest()) {
                                // as the receivers do: stop reading until the engine calls back (no spinning)
                                Thread me = Thread.currentThread();
                                AtomicBoolean resumed = new AtomicBoolean();
                                e.whenWritable(() -> {
                                    resumed.set(true);
                                    LockSupport.unpark(me);
                                });
                                while (!resumed.get()) {
                                    LockSupport.park(resumed);
                                }
                            }
                            off = used; // chunks end with a newline; a line cut at the slice edge is parsed again
                        }
                    }
                    parser.flush();
                    feederCpu[conn] = tmx.getCurrentThreadCpuTime();
                }, "feeder-" + c);
            }
            long cpu0 = os.getProcessCpuTime();
            long shardCpu0 = shardCpu(tmx);
            long t0 = System.nanoTime();
            for (Thread t : feeders) {
                t.start();
            }
            for (Thread t : feeders) {
                t.join();
            }
            e.barrier();
            long wall = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            long shardCpu = shardCpu(tmx) - shardCpu0;
            long feed = 0;
            for (long f : feederCpu) {
                feed += f;
            }
            System.out.printf("round %d: %d points in %.2f s wall; CPU per point: process %.3f µs = parsers %.3f + "
                            + "shard writers %.3f + other (GC, JIT, syncer) %.3f%n", round, total, wall / 1e9,
                    cpu / 1e3 / total, feed / 1e3 / total, shardCpu / 1e3 / total,
                    (cpu - feed - shardCpu) / 1e3 / total);
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static long shardCpu(ThreadMXBean tmx) {
        long sum = 0;
        for (var info : tmx.getThreadInfo(tmx.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("tally-shard-")) {
                long t = tmx.getThreadCpuTime(info.getThreadId());
                if (t > 0) {
                    sum += t;
                }
            }
        }
        return sum;
    }
}
