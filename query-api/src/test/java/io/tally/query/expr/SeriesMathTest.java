package io.tally.query.expr;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.tally.query.expr.Fixture.N;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SeriesMathTest {

    private static Series s(String name, long start, long step, double... v) {
        return Series.builder(name, start, start + step * v.length, step, v).build();
    }

    @Test
    void normalizeFoldsToTheLeastCommonStep() {
        Series a = s("a", 100, 10, 1, 2, 3, 4, 5, 6);
        Series b = s("b", 100, 15, 10, 20, 30, 40);
        SeriesMath.Normalized n = SeriesMath.normalize(List.of(a, b));
        assertThat(n.step()).isEqualTo(30);
        assertThat(n.start()).isEqualTo(100);
        assertThat(n.end()).isEqualTo(160);
        assertThat(n.series().get(0).values()).containsExactly(2, 5);
        assertThat(n.series().get(1).values()).containsExactly(15, 35);
    }

    @Test
    void consolidationUsesEachSeriesFunctionAndXff() {
        Series sum = s("a", 0, 10, 1, N, 3, N).toBuilder().consolidation(ConsolidationFunction.SUM, "sum")
                .xFilesFactor(0.6).build();
        assertThat(SeriesMath.consolidate(sum, 2).values()).containsExactly(N, N);
        assertThat(SeriesMath.consolidate(sum.toBuilder().xFilesFactor(0.5).build(), 2).values()).containsExactly(1, 3);
    }

    @Test
    void aggregateNamesTagsAndXff() {
        Series a = s("x.a;dc=1;r=a", 100, 10, 1, N, 3).toBuilder().pathExpression("x.*").build();
        Series b = s("x.b;dc=1;r=b", 100, 10, 2, N, N).toBuilder().pathExpression("x.*").build();
        Series r = SeriesMath.aggregate(List.of(a, b), AggFunc.SUM, "sum", 0);
        assertThat(r.name()).isEqualTo("sumSeries(x.*)");
        assertThat(r.values()).containsExactly(3, N, 3);
        assertThat(r.tags()).isEqualTo(Map.of("dc", "1", "name", "sumSeries(x.*)", "aggregatedBy", "sum"));
        assertThat(SeriesMath.aggregate(List.of(a, b), AggFunc.SUM, "sum", 0.6).values()).containsExactly(3, N, N);
    }

    @Test
    void aggFuncsFollowGraphiteNullRules() {
        double[] v = {4, N, 1, 3};
        assertThat(AggFunc.AVERAGE.apply(v)).isCloseTo(8.0 / 3, within(1e-15));
        assertThat(AggFunc.AVG_ZERO.apply(v)).isEqualTo(2);
        assertThat(AggFunc.MEDIAN.apply(v)).isEqualTo(3);
        assertThat(AggFunc.MEDIAN.apply(new double[]{4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(AggFunc.DIFF.apply(v)).isEqualTo(0);
        assertThat(AggFunc.DIFF.apply(new double[]{N, 5, 2})).isEqualTo(3);
        assertThat(AggFunc.COUNT.apply(new double[]{N, N})).isEqualTo(0);
        assertThat(AggFunc.SUM.apply(new double[]{N, N})).isNaN();
        assertThat(AggFunc.MULTIPLY.apply(v)).isNaN();
        assertThat(AggFunc.MULTIPLY.apply(new double[]{2, 3})).isEqualTo(6);
        assertThat(AggFunc.RANGE.apply(v)).isEqualTo(3);
        assertThat(AggFunc.LAST.apply(new double[]{1, 2, N})).isEqualTo(2);
        assertThat(AggFunc.STDDEV.apply(new double[]{2, 4, 4, 4, 5, 5, 7, 9})).isEqualTo(2);
        assertThat(AggFunc.lookup("current")).isEqualTo(AggFunc.LAST);
        assertThat(AggFunc.lookup("nope")).isNull();
    }

    @Test
    void percentileIsNearestRankOrInterpolated() {
        double[] v = {15, 20, 35, 40, 50, N};
        assertThat(SeriesMath.percentile(v, 40, false)).isEqualTo(35);
        assertThat(SeriesMath.percentile(v, 30, false)).isEqualTo(20);
        assertThat(SeriesMath.percentile(v, 100, false)).isEqualTo(50);
        assertThat(SeriesMath.percentile(v, 50, true)).isEqualTo(35);
        assertThat(SeriesMath.percentile(v, 75, true)).isEqualTo(45);
        assertThat(SeriesMath.percentile(new double[]{N}, 50, false)).isNaN();
    }

    @Test
    void pythonRounding() {
        assertThat(SeriesMath.round(2.5, 0)).isEqualTo(2);
        assertThat(SeriesMath.round(0.1234565, 6)).isEqualTo(0.123456);
        assertThat(SeriesMath.round(1.0000005, 6)).isEqualTo(1.000001);
        assertThat(SeriesMath.round(-0.3e-6, 6)).isEqualTo(-0.0);
        assertThat(SeriesMath.round(1234.5678, -2)).isEqualTo(1200);
    }

    @Test
    void safePowFollowsPythonMath() {
        assertThat(SeriesMath.safePow(-8, 0.5)).isNaN();
        assertThat(SeriesMath.safePow(0, -1)).isNaN();
        assertThat(SeriesMath.safePow(1e200, 2)).isNaN();
        assertThat(SeriesMath.safePow(2, 10)).isEqualTo(1024);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 2, 3, 6, 9, 12, 15})
    void roundEqualsExactDecimalRoundingAcrossMagnitudesAndNearTies(int digits) {
        java.util.Random rnd = new java.util.Random(digits);
        for (int i = 0; i < 40_000; i++) {
            double x;
            int shape = i % 3;
            double scale = Math.pow(10, rnd.nextInt(24) - 8);
            if (shape == 0) {
                x = (rnd.nextDouble() - 0.5) * scale;
            } else {
                // decimal ties and their neighbours: (n + 0.5) / 10^digits, one ulp either way
                double tie = (Math.floor(rnd.nextDouble() * scale) + 0.5) / Math.pow(10, digits);
                x = shape == 1 ? tie : (rnd.nextBoolean() ? Math.nextUp(tie) : Math.nextDown(tie));
            }
            double want = new java.math.BigDecimal(x).setScale(digits, java.math.RoundingMode.HALF_EVEN)
                    .doubleValue();
            assertThat(SeriesMath.round(x, digits)).as("round(%s, %d)", x, digits).isEqualTo(want);
        }
    }
}
