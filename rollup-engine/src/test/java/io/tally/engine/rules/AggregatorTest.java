package io.tally.engine.rules;

import io.tally.engine.config.ConfigException;
import io.tally.engine.rules.CapturingSink.Point;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AggregatorTest {
    private final CapturingSink sink = new CapturingSink();

    private static AggregationRules rules(String text) {
        try {
            return AggregationRules.parse(text, "aggregation-rules.conf");
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
    }

    private Aggregator aggregator(String rules) {
        return new Aggregator(rules(rules), sink);
    }

    private Aggregator aggregator(String rules, Aggregator.Options options) {
        return new Aggregator(rules(rules), sink, options);
    }

    @Test
    void computesEachMethodOverOneInterval() {
        Aggregator a = aggregator("""
                x.sum (60) = sum in.*
                x.avg (60) = avg in.*
                x.min (60) = min in.*
                x.max (60) = max in.*
                x.count (60) = count in.*
                x.last (60) = last in.*
                x.p50 (60) = p50 in.*
                x.p90 (60) = p90 in.*
                """);
        double[] values = {50, 15, 40, 35, 20};
        for (int i = 0; i < values.length; i++) {
            a.accept("in.h" + i, 1_000_000_020L + i, values[i]);
        }
        a.flush(1_000_000_100L);
        long interval = 1_000_000_020L - 1_000_000_020L % 60;
        assertThat(sink.take()).containsExactlyInAnyOrder(
                new Point("x.sum", interval, 160),
                new Point("x.avg", interval, 32),
                new Point("x.min", interval, 15),
                new Point("x.max", interval, 50),
                new Point("x.count", interval, 5),
                new Point("x.last", interval, 20),
                new Point("x.p50", interval, 35),
                new Point("x.p90", interval, 46));
        assertThat(a.emittedPoints()).isEqualTo(8);
    }

    @Test
    void bucketsByTimestampMinusTimestampModuloFrequency() {
        Aggregator a = aggregator("out (60) = count in\n");
        a.accept("in", 119, 1);
        a.accept("in", 60, 1);
        a.accept("in", 120, 1);
        a.accept("in", 179, 1);
        a.accept("in", 180, 1);
        a.flush(200);
        assertThat(sink.take()).containsExactly(
                new Point("out", 60, 2), new Point("out", 120, 2), new Point("out", 180, 1));
    }

    @Test
    void percentilesMatchAHandComputedReference() {
        Aggregator a = aggregator("""
                p.p75 (10) = p75 in.*
                p.p80 (10) = p80 in.*
                p.p95 (10) = p95 in.*
                p.p99 (10) = p99 in.*
                p.p999 (10) = p999 in.*
                """);
        for (double v : new double[] {4, 1, 3, 2}) {
            a.accept("in.x", 100, v);
        }
        a.flush(105);
        // sorted 1 2 3 4, rank = q * 3
        List<Point> out = sink.take();
        assertThat(value(out, "p.p75")).isCloseTo(3.25, within(1e-12));    // rank 2.25: 3*.75 + 4*.25
        assertThat(value(out, "p.p80")).isCloseTo(3.4, within(1e-12));     // rank 2.4
        assertThat(value(out, "p.p95")).isCloseTo(3.85, within(1e-12));    // rank 2.85
        assertThat(value(out, "p.p99")).isCloseTo(3.97, within(1e-12));    // rank 2.97
        assertThat(value(out, "p.p999")).isCloseTo(3.997, within(1e-12));  // rank 2.997
    }

    private static double value(List<Point> points, String name) {
        return points.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().value();
    }

    @Test
    void reEmitsAnIntervalWhenLatePointsArrive() {
        Aggregator a = aggregator("out (60) = sum in.*\n");
        a.accept("in.a", 1000, 1);
        a.accept("in.b", 1001, 2);
        a.flush(1010);
        assertThat(sink.take()).containsExactly(new Point("out", 960, 3));
        a.flush(1020);
        assertThat(sink.take()).as("nothing new, nothing emitted").isEmpty();
        a.accept("in.c", 1005, 4);
        a.flush(1030);
        assertThat(sink.take()).as("not due before the next minute").isEmpty();
        a.flush(1080);
        assertThat(sink.take()).containsExactly(new Point("out", 960, 7));
    }

    @Test
    void emitsOnlyIntervalsThatChanged() {
        Aggregator a = aggregator("out (10) = max in\n");
        a.accept("in", 100, 5);
        a.accept("in", 110, 6);
        a.flush(115);
        assertThat(sink.take()).containsExactly(new Point("out", 100, 5), new Point("out", 110, 6));
        a.accept("in", 111, 9);
        a.flush(120);
        assertThat(sink.take()).containsExactly(new Point("out", 110, 9));
    }

    @Test
    void writeBackFrequencyComputesMoreOften() {
        Aggregator a = aggregator("out (60) = sum in\n", Aggregator.Options.defaults().withWriteBackFrequency(10));
        a.accept("in", 1000, 1);
        a.flush(1001);
        assertThat(sink.take()).containsExactly(new Point("out", 960, 1));
        a.accept("in", 1002, 1);
        a.flush(1009);
        assertThat(sink.take()).isEmpty();
        a.flush(1010);
        assertThat(sink.take()).containsExactly(new Point("out", 960, 2));
    }

    @Test
    void dropsIntervalsIdleLongerThanMaxIntervalsTimesFrequency() {
        Aggregator a = aggregator("out (10) = sum in\n", Aggregator.Options.defaults().withMaxAggregationIntervals(5));
        a.accept("in", 100, 1);
        a.flush(100);
        assertThat(sink.take()).containsExactly(new Point("out", 100, 1));
        a.flush(150);
        assertThat(a.bufferedOutputs()).as("idle exactly 5 x 10 s: kept").isEqualTo(1);
        a.accept("in", 101, 1);
        a.flush(160);
        assertThat(sink.take()).containsExactly(new Point("out", 100, 2));
        a.flush(210);
        assertThat(a.bufferedOutputs()).isEqualTo(1);
        a.flush(220);
        assertThat(a.bufferedOutputs()).as("idle 60 s > 50 s: dropped").isZero();
        a.accept("in", 102, 5);
        a.flush(230);
        assertThat(sink.take()).as("a late point after the drop starts the interval afresh, as in carbon")
                .containsExactly(new Point("out", 100, 5));
    }

    @Test
    void keepsAtMostMaxIntervalsPlusTwoPerOutput() {
        Aggregator a = aggregator("out (10) = sum in\n", Aggregator.Options.defaults().withMaxAggregationIntervals(2));
        for (int i = 0; i < 6; i++) {
            a.accept("in", 1000 + 10L * i, i + 1);
        }
        assertThat(a.evictedIntervals()).isEqualTo(2);
        a.accept("in", 1000, 100);
        assertThat(a.droppedPoints()).as("older than every kept interval of a full output").isEqualTo(1);
        a.accept("in", 1025, 10);
        a.flush(1100);
        assertThat(sink.take()).as("evicted intervals are still emitted once").containsExactly(
                new Point("out", 1000, 1), new Point("out", 1010, 2),
                new Point("out", 1020, 13), new Point("out", 1030, 4), new Point("out", 1040, 5),
                new Point("out", 1050, 6));
    }

    @Test
    void anOutputIsConfiguredByTheRuleThatCreatedItAndFedOncePerRule() {
        Aggregator a = aggregator("""
                total (60) = sum a.*
                total (10) = max b.*
                both (60) = sum *.x
                both (60) = count a.*
                """);
        a.accept("a.x", 100, 2);
        a.accept("b.y", 101, 7);
        a.flush(200);
        assertThat(sink.take()).containsExactlyInAnyOrder(new Point("total", 60, 9), new Point("both", 60, 4));
    }

    @Test
    void forwardsInputsUnlessTheyAreTheirOwnAggregate() {
        Aggregator a = aggregator("""
                <a>.all (60) = sum <a>.*
                <a>.total (60) = sum <a>.<<rest>>
                """);
        assertThat(a.forwardAll()).isTrue();
        assertThat(a.shouldForward("web.host1")).isTrue();
        assertThat(a.shouldForward("web.all")).as("web.all is an aggregate web.all produces").isFalse();
        assertThat(a.shouldForward("web.total")).isFalse();
        assertThat(a.shouldForward("unmatched")).isTrue();
        Aggregator quiet = aggregator("<a>.all (60) = sum <a>.*\n",
                Aggregator.Options.defaults().withForwardAll(false));
        assertThat(quiet.forwardAll()).isFalse();
        assertThat(quiet.shouldForward("web.host1")).isFalse();
        assertThat(quiet.shouldForward("unmatched")).isFalse();
    }

    @Test
    void ignoresNaNInputsAndDoesNotEmitNaNResults() {
        Aggregator a = aggregator("s (10) = sum in\nc (10) = count in\n");
        a.accept("in", 100, Double.NaN);
        a.accept("in", 100, Double.POSITIVE_INFINITY);
        a.accept("in", 100, Double.NEGATIVE_INFINITY);
        a.flush(105);
        assertThat(sink.take()).containsExactly(new Point("c", 100, 2));
    }

    @Test
    void setRulesDiscardsEveryBuffer() {
        Aggregator a = aggregator("out (60) = sum in\n");
        a.accept("in", 100, 1);
        assertThat(a.bufferedOutputs()).isEqualTo(1);
        a.setRules(rules("other (60) = sum in\n"));
        assertThat(a.bufferedOutputs()).isZero();
        a.accept("in", 100, 2);
        a.flush(130);
        assertThat(sink.take()).containsExactly(new Point("other", 60, 2));
        assertThat(a.rules().rules()).hasSize(1);
    }

    @Test
    void splitsEmissionsOverSeveralBatches() {
        CapturingSink small = new CapturingSink(100);
        Aggregator a = new Aggregator(rules("out.<n> (10) = sum in.<n>\n"), small);
        for (int i = 0; i < 50; i++) {
            a.accept("in.m" + i, 100, i);
        }
        a.flush(110);
        assertThat(small.take()).hasSize(50);
        assertThat(small.batches()).isGreaterThan(10);
        assertThat(a.emittedPoints()).isEqualTo(50);
    }

    @Test
    void withoutRulesNothingIsBuffered() {
        Aggregator a = new Aggregator(AggregationRules.empty(), sink);
        a.accept("in", 100, 1);
        a.flush(200);
        assertThat(a.bufferedOutputs()).isZero();
        assertThat(sink.take()).isEmpty();
        assertThat(a.shouldForward("in")).isTrue();
    }

    @Test
    void largePercentileIntervalsSwitchToTheHistogram() {
        Aggregator a = aggregator("p (60) = p99 in\n", Aggregator.Options.defaults().withMaxRawValuesPerInterval(100));
        for (int i = 1; i <= 10_000; i++) {
            a.accept("in", 60, i);
        }
        a.flush(100);
        // exact: rank 0.99 * 9999 = 9899.01 -> 9900 * 0.99 + 9901 * 0.01 = 9900.01
        assertThat(sink.take().getFirst().value()).isCloseTo(9900.01, within(9900.01 * 1e-3));
    }
}
