package io.tally.query;

import io.tally.engine.api.SeriesData;
import io.tally.engine.config.AggregationMethod;
import io.tally.query.expr.ConsolidationFunction;
import io.tally.query.expr.Series;
import io.tally.query.functions.FunctionRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ConsolidationTest {
    private static final double N = Double.NaN;

    private static Series series(long start, long step, AggregationMethod agg, double... values) {
        return seriesXff(start, step, agg, 0, values);
    }

    private static Series seriesXff(long start, long step, AggregationMethod agg, double xff, double... values) {
        return Series.fetched(new SeriesData("s", start, start + step * values.length, step, values, agg, 0.5), "s",
                xff);
    }

    private static Series data(String name, long start, long end, long step, double[] values) {
        return Series.fetched(new SeriesData(name, start, end, step, values, AggregationMethod.AVERAGE, 0), name, 0);
    }

    @Test
    void withoutMaxDataPointsSeriesAreUnchanged() {
        Series s = series(100, 10, AggregationMethod.AVERAGE, 1, 2, 3);
        Series p = Consolidation.apply(List.of(s), 0).get(0);
        assertThat(p.start()).isEqualTo(100);
        assertThat(p.outputStep()).isEqualTo(10);
        assertThat(p.outputCount()).isEqualTo(3);
        assertThat(p.values()).isSameAs(s.values());
    }

    @Test
    void fewerPointsThanTheLimitAreUnchanged() {
        Series s = series(100, 10, AggregationMethod.AVERAGE, 1, 2, 3);
        Series p = Consolidation.apply(List.of(s), 3).get(0);
        assertThat(p.outputCount()).isEqualTo(3);
        assertThat(p.outputStep()).isEqualTo(10);
    }

    /**
     * start 110, step 10, 12 values, mdp 4: points = 120/10 = 12, vpp = 3, spp = 30, nudge = 30 + 0 - 110 % 30 = 10,
     * start = 120, drop nudge/step - 1 = 0 values; buckets [1,2,3] [4,5,6] [7,8,9] [10,11,12] at 120, 150, 180, 210;
     * timestamps range(120, 231, 30) has 4 entries.
     */
    @Test
    void nudgesStartToAMultipleOfTheBucketWidth() {
        Series s = series(110, 10, AggregationMethod.AVERAGE, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        Series p = Consolidation.apply(List.of(s), 4).get(0);
        assertThat(p.start()).isEqualTo(120);
        assertThat(p.outputStep()).isEqualTo(30);
        assertThat(p.outputCount()).isEqualTo(4);
        assertThat(p.values()).containsExactly(2, 5, 8, 11);
    }

    /**
     * start 120 (already aligned to 30): nudge = 30, start = 150, drop 2 values; buckets [3,4,5] [6,7,8] [9,10,11]
     * [12]; timestamps range(150, 241, 30) = 150, 180, 210, 240.
     */
    @Test
    void anAlignedStartStillMovesOneBucketAndDropsValues() {
        Series s = series(120, 10, AggregationMethod.AVERAGE, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        Series p = Consolidation.apply(List.of(s), 4).get(0);
        assertThat(p.start()).isEqualTo(150);
        assertThat(p.outputCount()).isEqualTo(4);
        assertThat(p.values()).containsExactly(4, 7, 10, 12);
    }

    @Test
    void bucketsOfOnlyNullsAreNullAndXffCountsAgainstTheFullBucket() {
        Series s = series(110, 10, AggregationMethod.AVERAGE, N, N, N, 1, N, N, 2, 3, N, 4, N, N);
        assertThat(Consolidation.apply(List.of(s), 4).get(0).values()).containsExactly(N, 1, 2.5, 4);
        // xff 0.5: 1 of 3 known is too few, 2 of 3 is enough
        Series half = seriesXff(110, 10, AggregationMethod.AVERAGE, 0.5, N, N, N, 1, N, N, 2, 3, N, 4, N, N);
        assertThat(Consolidation.apply(List.of(half), 4).get(0).values()).containsExactly(N, N, 2.5, N);
    }

    @Test
    void theSeriesAggregationIsTheDefaultConsolidation() {
        double[] v = {1, 2, 3, 4, 5, 6};
        assertThat(Consolidation.apply(List.of(series(110, 10, AggregationMethod.SUM, v)), 2)
                .get(0).values()).containsExactly(6, 15);
        assertThat(Consolidation.apply(List.of(series(110, 10, AggregationMethod.MAX, v)), 2)
                .get(0).values()).containsExactly(3, 6);
        assertThat(Consolidation.apply(List.of(series(110, 10, AggregationMethod.MIN, v)), 2)
                .get(0).values()).containsExactly(1, 4);
        assertThat(Consolidation.apply(List.of(series(110, 10, AggregationMethod.LAST, v)), 2)
                .get(0).values()).containsExactly(3, 6);
        Series first = series(110, 10, AggregationMethod.AVERAGE, v).toBuilder()
                .consolidation(ConsolidationFunction.FIRST, "first").build();
        assertThat(Consolidation.apply(List.of(first), 2).get(0).values()).containsExactly(1, 4);
    }

    @Test
    void avgZeroCountsNullsAsZero() {
        Series s = series(110, 10, AggregationMethod.AVG_ZERO, 3, N, N, 6, 6, 6);
        assertThat(Consolidation.apply(List.of(s), 2).get(0).values()).containsExactly(1, 6);
    }

    @Test
    void maxDataPointsOneFoldsTheWholeSeries() {
        Series s = series(100, 10, AggregationMethod.AVERAGE, 1, 2, N, 5);
        Series p = Consolidation.apply(List.of(s), 1).get(0);
        assertThat(p.outputCount()).isEqualTo(1);
        assertThat(p.start()).isEqualTo(100);
        assertThat(p.values()[0]).isEqualTo(8.0 / 3);
    }

    @Test
    void theTimeRangeSpansAllSeries() {
        // b alone would fit in 4 points; with a's range of 12 steps it is consolidated too: vpp 3, nudge 20,
        // one value dropped, one bucket [2, 3, 4] at 210 (range(210, 231, 30) has one timestamp).
        Series a = data("a", 110, 230, 10, new double[12]);
        Series b = data("b", 190, 230, 10, new double[]{1, 2, 3, 4});
        List<Series> out = Consolidation.apply(List.of(a, b), 4);
        assertThat(out.get(1).outputStep()).isEqualTo(30);
        assertThat(out.get(1).start()).isEqualTo(210);
        assertThat(out.get(1).values()).containsExactly(3);
    }

    @Test
    void moreValuesToDropThanExistGivesNoPoints() {
        Series a = data("a", 10, 1010, 10, new double[100]);
        Series b = data("b", 1000, 1010, 10, new double[]{7});
        List<Series> out = Consolidation.apply(List.of(a, b), 2);
        assertThat(out.get(1).outputCount()).isZero();
    }

    /** graphite-web's recorded answers for the conformance data set, reproduced from the raw values. */
    @ParameterizedTest
    @ValueSource(strings = {"mdp_odd", "mdp_grafana_like", "raw_counter_reset_mdp", "mdp_more_than_points"})
    void matchesGraphiteWebOnTheConformanceData(String id) {
        JsonObject exp = Conformance.expected().getJsonObject(id);
        Params p = new Params().addEncoded(exp.getString("url").substring(exp.getString("url").indexOf('?') + 1));
        FakeReader reader = Conformance.reader();
        RenderRequest rr = RenderRequest.parse(p, Conformance.T + 3217, java.time.ZoneOffset.UTC);
        List<Series> data = new Renderer(reader, QueryLimits.defaults(), io.tally.engine.util.Clock.SYSTEM,
                FunctionRegistry.standard()).render(rr);
        JsonArray series = exp.getJsonArray("series");
        JsonObject want = series.getJsonObject(0);
        Series mine = data.stream().filter(d -> d.name().equals(want.getString("target"))).findFirst()
                .orElseThrow();
        // mdp_grafana_like matched four hosts with the same range; consolidating one alone gives the same buckets
        Series got = Consolidation.apply(List.of(mine), rr.maxDataPoints()).get(0);
        JsonArray dps = want.getJsonArray("datapoints");
        assertThat(got.outputCount()).isEqualTo(dps.size());
        for (int i = 0; i < dps.size(); i++) {
            JsonArray dp = dps.getJsonArray(i);
            assertThat(got.start() + i * got.outputStep()).as("timestamp %d", i).isEqualTo(dp.getLong(1));
            if (dp.getValue(0) == null) {
                assertThat(got.values()[i]).as("value %d", i).isNaN();
            } else {
                double v = dp.getDouble(0);
                assertThat(got.values()[i]).as("value %d", i).isCloseTo(v, within(Math.abs(v) * 1e-9 + 1e-12));
            }
        }
    }
}
