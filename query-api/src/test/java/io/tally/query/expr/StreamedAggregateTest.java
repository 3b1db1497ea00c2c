package io.tally.query.expr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Aggregates over series-wise chains of paths are evaluated a batch at a time (Evaluator.streamAggregate); every
 * answer must be the one evaluating the arguments first gives: same names, tags, time range and values, bit for bit.
 */
class StreamedAggregateTest {
    private static final int BIG = 2 * Evaluator.STREAM_BATCH + 904;

    private static Fixture fixture(boolean streaming) {
        Fixture f = new Fixture().window(90, 690).streaming(streaming);
        Random r = new Random(42);
        for (int i = 0; i < BIG; i++) {
            double[] v = new double[60];
            for (int j = 0; j < v.length; j++) {
                v[j] = r.nextInt(10) == 0 ? Fixture.N : r.nextGaussian() * 1e3;
            }
            f.add(String.format("big.h%05d.m", i), 100, 10, v);
        }
        f.add("mixed.a.x", 100, 10, 1, 2, 3, 4, 5, 6);
        f.add("mixed.b.x", 90, 30, 7, 8, 9);
        f.add("tagged;dc=a;host=h1", 100, 10, 1, 2, 3);
        f.add("tagged;dc=a;host=h2", 100, 10, 4, Fixture.N, 6);
        f.add("tagged;dc=b;host=h3", 100, 10, 7, 8, Fixture.N);
        return f;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "sumSeries(big.*.m)",
            "averageSeries(big.*.m)",
            "minSeries(big.*.m)",
            "maxSeries(big.*.m)",
            "rangeOfSeries(big.*.m)",
            "aggregate(big.*.m, 'count')",
            "aggregate(big.*.m, 'last')",
            "aggregate(big.*.m, 'avg_zero')",
            "aggregate(big.*.m, 'avg', 0.95)",
            "aggregate(big.*.m, 'median')",
            "sum(big.*.m)",
            "sumSeries(isNonNull(big.*.m))",
            "sumSeries(scale(offset(big.*.m, 1), 2))",
            "averageSeries(big.h01*.m, big.h02*.m, big.h00001.m)",
            "sumSeries(alias(big.*.m, 'x'))",
            "sumSeries(summarize(big.*.m, '1min', 'max'))",
            "maxSeries(nonNegativeDerivative(big.h0*.m))",
            "sumSeries(removeBelowValue(big.*.m, 0))",
            "sumSeries(mixed.*.x)",
            "sumSeries(mixed.a.x, mixed.b.x)",
            "sumSeries(tagged*)",
            "sumSeries(consolidateBy(tagged*, 'max'))",
            "sumSeries(seriesByTag('dc=a'))",
            "sumSeries(nothing.*)",
            "sumSeries(isNonNull(nothing.*))",
            "aggregate(nothing.*, 'sum')",
    })
    void streamedAnswersEqualTheWholeListsAnswers(String target) {
        List<Series> whole = fixture(false).eval(target);
        List<Series> streamed = fixture(true).eval(target);
        assertThat(streamed).hasSameSizeAs(whole);
        for (int i = 0; i < whole.size(); i++) {
            Series w = whole.get(i);
            Series s = streamed.get(i);
            assertThat(s.name()).isEqualTo(w.name());
            assertThat(s.pathExpression()).isEqualTo(w.pathExpression());
            assertThat(s.tags()).isEqualTo(w.tags());
            assertThat(new long[]{s.start(), s.end(), s.step()}).containsExactly(w.start(), w.end(), w.step());
            assertThat(s.xFilesFactor()).isEqualTo(w.xFilesFactor());
            assertThat(bits(s.values())).as(target).containsExactly(bits(w.values()));
        }
    }

    @Test
    void aBigGlobIsReadABatchAtATimeNotWhole() {
        Fixture f = fixture(true);
        Series s = f.one("sumSeries(isNonNull(big.*.m))");
        assertThat(f.reads).containsExactly(Evaluator.STREAM_BATCH, Evaluator.STREAM_BATCH, 904);
        assertThat(f.fetches).isEmpty();
        assertThat(s.name()).startsWith("sumSeries(isNonNull(big.h00000.m),isNonNull(big.h00001.m),");
    }

    @Test
    void inputsWithDifferentStepsAreEvaluatedWholeForNormalisation() {
        Fixture f = fixture(true);
        Series s = f.one("sumSeries(mixed.*.x)");
        assertThat(f.fetches).containsExactly("mixed.*.x 90 690");
        assertThat(s.step()).isEqualTo(30);
    }

    @Test
    void argumentErrorsAreTheSameStreamedOrNot() {
        for (String target : List.of("sumSeries(scale(nothing.*, 'x'))", "sumSeries(scale(big.*.m, 'x'))",
                "aggregate(big.*.m, 'nope')", "sumSeries(summarize(big.*.m, '0min'))")) {
            String whole = message(fixture(false), target);
            assertThat(whole).as(target).isNotNull();
            assertThat(message(fixture(true), target)).as(target).isEqualTo(whole);
        }
    }

    private static String message(Fixture f, String target) {
        try {
            f.eval(target);
            return null;
        } catch (ExpressionException e) {
            return e.getMessage();
        }
    }

    @Test
    void pathsUnderOtherFunctionsAreNotStreamed() {
        Fixture f = fixture(true);
        f.eval("sumSeries(highestMax(big.h0000*.m, 2))");
        f.eval("sumSeries(big.h0000*.m, seriesByTag('dc=a'))");
        assertThat(f.reads).isEmpty();
        assertThatThrownBy(() -> f.eval("sumSeries(big.*.m, 1, 2)")).isInstanceOf(ExpressionException.class);
    }

    private static long[] bits(double[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Double.doubleToRawLongBits(v[i]);
        }
        return out;
    }
}
