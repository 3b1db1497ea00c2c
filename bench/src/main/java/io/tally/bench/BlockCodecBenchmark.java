package io.tally.bench;

import io.tally.engine.codec.BlockCodec;
import io.tally.engine.codec.BlockEncoder;
import io.tally.engine.codec.CorruptBlockException;
import io.tally.engine.codec.GrowableBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Encode and decode of one 720-slot block (a 2-hour partition of a 10 s archive) for several value shapes.
 *
 * <p>Run: {@code mvn -B -o -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar
 * BlockCodec -f1 -wi 2 -i 3 -r 2s}.
 *
 * <p>Last results (2026-11, JDK 25, 2-core machine shared with other builds, load average 5-6, so the JMH errors
 * are wide; "best" is the fastest of 15 rounds of 500 in-process runs on the same machine), microseconds per block:
 * <pre>
 * shape      bytes  encode JMH  encode best  decode JMH  decode best
 * counter      361       40.0        25.9         3.1         2.6
 * gauge2dec    597       52.5        19.0         4.3         2.1
 * constant      12        1.1         0.4         0.07        0.07
 * rareInts      20       28.4        18.0         1.4         0.55
 * latency     5475       71.9        28.2        10.2         5.0
 * gappy        552       31.0        23.5         7.3         4.2
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BlockCodecBenchmark {
    private static final int SLOTS = 720;

    @Param({"counter", "gauge2dec", "constant", "rareInts", "latency", "gappy"})
    public String shape;

    private double[] values;
    private double[] out;
    private byte[] block;
    private BlockEncoder encoder;
    private GrowableBuffer buffer;

    @Setup(Level.Trial)
    public void setUp() {
        values = generate(shape, new Random(42));
        out = new double[SLOTS];
        encoder = new BlockEncoder();
        buffer = new GrowableBuffer(16 * SLOTS);
        block = BlockCodec.encode(values, SLOTS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoder.close();
    }

    @Benchmark
    public int encode() {
        buffer.clear();
        return encoder.encode(values, SLOTS, buffer);
    }

    @Benchmark
    public double[] decode() throws CorruptBlockException {
        BlockCodec.decode(block, 0, block.length, out);
        return out;
    }

    static double[] generate(String shape, Random rnd) {
        double[] v = new double[SLOTS];
        switch (shape) {
            case "counter" -> {
                long c = 1_000_000;
                for (int i = 0; i < SLOTS; i++) {
                    c += rnd.nextInt(11);
                    v[i] = c;
                }
            }
            case "gauge2dec", "gappy" -> {
                long m = 1234;
                for (int i = 0; i < SLOTS; i++) {
                    m += Math.round(rnd.nextGaussian() * 20);
                    v[i] = m / 100.0;
                }
                if (shape.equals("gappy")) {
                    for (int i = 0; i < SLOTS; i++) {
                        if (rnd.nextInt(10) == 0) {
                            v[i] = Double.NaN;
                        }
                    }
                    Arrays.fill(v, 100, 160, Double.NaN);
                }
            }
            case "constant" -> Arrays.fill(v, 42.0);
            case "rareInts" -> {
                int x = 1;
                for (int i = 0; i < SLOTS; i++) {
                    if (rnd.nextInt(50) == 0) {
                        x = rnd.nextInt(4);
                    }
                    v[i] = x;
                }
            }
            case "latency" -> {
                for (int i = 0; i < SLOTS; i++) {
                    v[i] = -Math.log(1 - rnd.nextDouble()) * 25.0;
                }
            }
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        }
        return v;
    }
}
