package io.tally.bench;

import io.tally.query.Params;
import io.tally.query.expr.Series;
import io.tally.query.graph.GraphOptions;
import io.tally.query.graph.GraphRenderer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Drawing one {@code /render} picture, in milliseconds per picture: 20 series of one day at 1-minute steps
 * (1440 points each, consolidated to the picture's width, one null in ten), graphite-web's default 330x250 with
 * its legend, encoded as PNG (AWT raster + ImageIO) or written as SVG text. Storage and evaluation are not
 * included.
 *
 * <p>Run: {@code mvn -B -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar
 * GraphRender} (brief: append {@code -f 1 -wi 2 -i 3 -r 2s}).
 *
 * <p>Last results (JDK 25, 2-core machine shared with other jobs at load 10-13, so the error bars are wide;
 * -f 1 -wi 3 -i 5 -r 2s): png 49 ± 88 ms/op, svg 3.2 ± 7 ms/op; a plain loop's quietest rounds draw a png in
 * 12 ms, 4-6 ms of it in ImageIO's encoder.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = "-Djava.awt.headless=true")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GraphRenderBenchmark {
    @Param({"png", "svg"})
    public String format;

    private List<Series> series;
    private GraphOptions options;

    @Setup
    public void setUp() {
        Random random = new Random(7);
        series = new ArrayList<>();
        long start = 1_700_000_000L;
        for (int k = 0; k < 20; k++) {
            double[] v = new double[1440];
            double level = 50 + k * 10;
            for (int i = 0; i < v.length; i++) {
                level += random.nextGaussian();
                v[i] = random.nextInt(10) == 0 ? Double.NaN : level;
            }
            series.add(Series.builder("servers.web" + k + ".cpu.user", start, start + 86_400, 60, v).build());
        }
        options = GraphOptions.parse(new Params().add("hideLegend", "false").add("title", "CPU"));
    }

    @Benchmark
    public byte[] render() {
        long from = 1_700_000_000L;
        return "png".equals(format)
                ? GraphRenderer.png(series, options, from, from + 86_400, ZoneOffset.UTC)
                : GraphRenderer.svg(series, options, from, from + 86_400, ZoneOffset.UTC);
    }
}
