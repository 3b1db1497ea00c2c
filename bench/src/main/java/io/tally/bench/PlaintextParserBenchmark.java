package io.tally.bench;

import io.tally.engine.api.IngestSink;
import io.tally.engine.api.PointBatch;
import io.tally.engine.util.Clock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.engine.util.RateLimitedLog;
import io.tally.ingest.PlaintextParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Plaintext carbon parsing throughput, in lines per second: 100k realistic lines (4-6 level names drawn from a
 * host/subsystem vocabulary, integer and decimal values, 10 s steps) parsed into {@link PointBatch}es that a null
 * sink recycles. {@code tagged} adds three unsorted tags per name (sorting and validation cost).
 *
 * <p>Run: {@code mvn -B -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar
 * PlaintextParser} (brief: append {@code -f 1 -wi 2 -i 3 -r 2s}).
 *
 * <p>Last results (JDK 25, 2-core build machine shared with other jobs, load ~6, so the error bars are wide;
 * -f 1 -wi 3 -i 5 -r 2s): plain 2.4-4.0 M lines/s, tagged 0.8-1.5 M lines/s (one core).
 * With the newline, name and canonical-name scans eight bytes at a time ({@code ByteLanes}), -f 1 -wi 3 -i 4 -r 2s,
 * alternating with the build before: plain 8.90 and 8.93 M lines/s against 6.26 and 5.87.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PlaintextParserBenchmark {
    static final int LINES = 100_000;

    @Param({"plain", "tagged"})
    public String shape;

    private byte[] input;
    private PlaintextParser parser;

    /** Recycles one batch: measures parsing, not storage. */
    static final class NullSink implements IngestSink {
        private final PointBatch batch = new PointBatch(64 * 1024);
        long points;

        @Override
        public PointBatch newBatch() {
            return batch;
        }

        @Override
        public boolean offer(PointBatch b) {
            points += b.count();
            b.clear();
            return true;
        }

        @Override
        public void whenWritable(Runnable callback) {
            callback.run();
        }
    }

    private final NullSink sink = new NullSink();

    @Setup
    public void setup() {
        Random r = new Random(42);
        String[] envs = {"prod", "staging", "dev"};
        String[] subsystems = {"cpu", "memory", "disk", "network", "jvm", "nginx"};
        String[] metrics = {"user", "system", "idle", "used", "free", "rx_bytes", "tx_bytes", "requests", "p99"};
        StringBuilder sb = new StringBuilder(LINES * 64);
        for (int i = 0; i < LINES; i++) {
            int levels = 4 + r.nextInt(3);
            sb.append("servers.").append(envs[r.nextInt(envs.length)]).append(".web").append(r.nextInt(500));
            for (int l = 3; l < levels; l++) {
                sb.append('.').append(l == levels - 1 ? metrics[r.nextInt(metrics.length)]
                        : subsystems[r.nextInt(subsystems.length)]);
            }
            if (shape.equals("tagged")) {
                sb.append(";rack=r").append(r.nextInt(40)).append(";dc=dc").append(r.nextInt(3))
                        .append(";app=svc").append(r.nextInt(20));
            }
            sb.append(' ');
            if (r.nextBoolean()) {
                sb.append(r.nextInt(100_000));
            } else {
                sb.append(r.nextInt(1000)).append('.').append(r.nextInt(1000));
            }
            sb.append(' ').append(1_700_000_000L + 10L * (i / 1000)).append('\n');
        }
        input = sb.toString().getBytes(StandardCharsets.US_ASCII);
        parser = new PlaintextParser(PlaintextParser.Options.defaults(), sink, Clock.SYSTEM, new MetricsRegistry(),
                "bench", new RateLimitedLog(LoggerFactory.getLogger(PlaintextParserBenchmark.class)));
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long parse() {
        parser.parse(input, 0, input.length, false);
        parser.flush();
        return sink.points;
    }
}
