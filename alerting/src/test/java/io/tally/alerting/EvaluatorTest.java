package io.tally.alerting;

import io.tally.alerting.AlertDefinition.Direction;
import io.tally.alerting.AlertDefinition.Reducer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Reducers and the threshold ladder, against plain reference definitions with seeded random inputs. */
class EvaluatorTest {

    static Reducer r(Reducer.Kind k, double p) {
        return new Reducer(k, p, k.name());
    }

    @RepeatedTest(50)
    void reducersMatchTheirDefinitions(RepetitionInfo info) {
        Random rnd = new Random(42 + info.getCurrentRepetition());
        double[] pts = new double[1 + rnd.nextInt(40)];
        for (int i = 0; i < pts.length; i++) {
            pts[i] = Math.round(rnd.nextGaussian() * 1000) / 10.0;
        }
        double[] sorted = pts.clone();
        Arrays.sort(sorted);
        int n = pts.length;
        AlertDefinition.Condition above = new AlertDefinition.Condition(Direction.ABOVE, Double.NaN, 0, true,
                Double.NaN, Double.NaN);
        AlertDefinition.Condition below = new AlertDefinition.Condition(Direction.BELOW, Double.NaN, 0, true,
                Double.NaN, Double.NaN);
        assertThat(Evaluator.reduce(r(Reducer.Kind.LAST, 0), above, pts)).isEqualTo(pts[n - 1]);
        assertThat(Evaluator.reduce(r(Reducer.Kind.MIN, 0), above, pts)).isEqualTo(sorted[0]);
        assertThat(Evaluator.reduce(r(Reducer.Kind.MAX, 0), above, pts)).isEqualTo(sorted[n - 1]);
        assertThat(Evaluator.reduce(r(Reducer.Kind.COUNT, 0), above, pts)).isEqualTo(n);
        assertThat(Evaluator.reduce(r(Reducer.Kind.AVG, 0), above, pts))
                .isCloseTo(Arrays.stream(pts).average().orElseThrow(), org.assertj.core.data.Offset.offset(1e-9));
        // any/all/fraction: "at least k points breach T" holds exactly when the reduced value breaches T
        double f = 0.1 + rnd.nextInt(9) / 10.0;
        for (double t : new double[]{sorted[0], sorted[n / 2], sorted[n - 1], 0}) {
            long breachAbove = Arrays.stream(pts).filter(v -> v >= t).count();
            long breachBelow = Arrays.stream(pts).filter(v -> v <= t).count();
            assertThat(above.breaches(Evaluator.reduce(r(Reducer.Kind.ANY, 0), above, pts), t))
                    .isEqualTo(breachAbove > 0);
            assertThat(above.breaches(Evaluator.reduce(r(Reducer.Kind.ALL, 0), above, pts), t))
                    .isEqualTo(breachAbove == n);
            assertThat(below.breaches(Evaluator.reduce(r(Reducer.Kind.ALL, 0), below, pts), t))
                    .isEqualTo(breachBelow == n);
            assertThat(above.breaches(Evaluator.reduce(r(Reducer.Kind.FRACTION, f), above, pts), t))
                    .isEqualTo(breachAbove >= Math.ceil(f * n));
            assertThat(below.breaches(Evaluator.reduce(r(Reducer.Kind.FRACTION, f), below, pts), t))
                    .isEqualTo(breachBelow >= Math.ceil(f * n));
        }
    }

    private static AlertDefinition.Condition above() {
        return new AlertDefinition.Condition(Direction.ABOVE, Double.NaN, 0, true, Double.NaN, Double.NaN);
    }

    /**
     * outside / inside with any, all and fraction: the reduced value's level is the highest level that at least k
     * points reach on their own, also when the crit range is not centred on the warn range.
     */
    @RepeatedTest(100)
    void rangeReducersPickTheLevelThatEnoughPointsReach(RepetitionInfo info) {
        Random rnd = new Random(7 + info.getCurrentRepetition());
        double[] pts = new double[1 + rnd.nextInt(30)];
        for (int i = 0; i < pts.length; i++) {
            pts[i] = rnd.nextInt(61) - 30;
        }
        int n = pts.length;
        double wl = -10 + rnd.nextInt(8);
        double wh = wl + rnd.nextInt(15);
        double cl = wl - rnd.nextInt(12);
        double ch = wh + rnd.nextInt(12);
        boolean inclusive = rnd.nextBoolean();
        AlertDefinition.Condition outside = new AlertDefinition.Condition(Direction.OUTSIDE, wl, cl, inclusive,
                Double.NaN, Double.NaN, wh, ch);
        // inside: the bad zone is the narrower crit range within the warn range
        AlertDefinition.Condition inside = new AlertDefinition.Condition(Direction.INSIDE, cl, wl, inclusive,
                Double.NaN, Double.NaN, ch, wh);
        double f = 0.1 + rnd.nextInt(9) / 10.0;
        for (AlertDefinition.Condition c : List.of(outside, inside)) {
            for (Reducer red : List.of(r(Reducer.Kind.ANY, 0), r(Reducer.Kind.ALL, 0), r(Reducer.Kind.FRACTION, f))) {
                int k = red.kind() == Reducer.Kind.ANY ? 1 : red.kind() == Reducer.Kind.ALL ? n
                        : Math.max(1, (int) Math.ceil(f * n));
                int expected = 0;
                for (int level = 2; level >= 1 && expected == 0; level--) {
                    int lv = level;
                    if (Arrays.stream(pts).filter(v -> c.severity(v) >= lv).count() >= k) {
                        expected = level;
                    }
                }
                State got = Evaluator.level(c, Evaluator.reduce(red, c, pts), State.OK);
                assertThat(got.severity()).as("%s %s over %s", c.direction(), red.kind(), Arrays.toString(pts))
                        .isEqualTo(expected == 2 ? State.CRITICAL.severity()
                                : expected == 1 ? State.WARNING.severity() : State.OK.severity());
            }
        }
    }

    @Test
    void zScoresOverEarlierPeriods() {
        double nan = Double.NaN;
        assertThat(Evaluator.zScore(new double[] {110, 100, 104, 96}, false)).isEqualTo(2.5);
        assertThat(Evaluator.zScore(new double[] {110, 100, nan, 104, 96}, false)).as("gaps skipped").isEqualTo(2.5);
        double mean = (90 + 100 + 130) / 3.0;
        double sd = Math.sqrt(((90 - mean) * (90 - mean) + (100 - mean) * (100 - mean) + (130 - mean) * (130 - mean)) / 2);
        assertThat(Evaluator.zScore(new double[] {110, 90, 100, 130}, true)).as("median centre, sample sd")
                .isCloseTo((110 - 100) / sd, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Evaluator.zScore(new double[] {110, 90, 100, 130}, false)).as("mean centre")
                .isCloseTo((110 - mean) / sd, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Evaluator.zScore(new double[] {110, 100, nan, nan}, false)).as("one earlier value").isNaN();
        assertThat(Evaluator.zScore(new double[] {nan, 100, 100, 100}, false)).as("no value now").isNaN();
        assertThat(Evaluator.zScore(new double[] {100, 100, 100}, false)).as("flat and equal").isZero();
        assertThat(Evaluator.zScore(new double[] {99, 100, 100}, false)).as("flat, lower")
                .isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void medianAndPercentiles() {
        double[] odd = {5, 1, 3};
        double[] even = {4, 1, 3, 2};
        assertThat(Evaluator.reduce(r(Reducer.Kind.MEDIAN, 0), above(), odd)).isEqualTo(3);
        assertThat(Evaluator.reduce(r(Reducer.Kind.MEDIAN, 0), above(), even)).isEqualTo(2.5);
        double[] hundred = new double[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = 100 - i;
        }
        assertThat(Evaluator.reduce(r(Reducer.Kind.PERCENTILE, 99), above(), hundred)).isEqualTo(99);
        assertThat(Evaluator.reduce(r(Reducer.Kind.PERCENTILE, 50), above(), hundred)).isEqualTo(50);
    }

    @Test
    void exclusiveThresholdsNeedToBeCrossed() {
        AlertDefinition.Condition c = new AlertDefinition.Condition(Direction.ABOVE, 10, 20, false, Double.NaN,
                Double.NaN);
        assertThat(Evaluator.level(c, 10, State.OK)).isEqualTo(State.OK);
        assertThat(Evaluator.level(c, 10.01, State.OK)).isEqualTo(State.WARNING);
        assertThat(Evaluator.level(c, 20, State.OK)).isEqualTo(State.WARNING);
        assertThat(Evaluator.level(c, 20.5, State.OK)).isEqualTo(State.CRITICAL);
    }

    @Test
    void nagiosNumbersNeverUseExponents() {
        assertThat(NagiosFormat.number(1e-7)).isEqualTo("0");
        assertThat(NagiosFormat.number(12345678901.5)).isEqualTo("12345678901.5");
        assertThat(NagiosFormat.number(-0.0001)).isEqualTo("0");
        assertThat(NagiosFormat.number(Double.NaN)).isEqualTo("U");
        assertThat(NagiosFormat.clean("a|b\r\nc\u00e9", 120)).isEqualTo("a?b  c?");
    }

    @Test
    void missingRegionsAreNamedInRegionOrder() {
        java.util.Map<String, String> missing = new java.util.HashMap<>();
        missing.put("us-east-1", "timeout");
        missing.put("ap-south-1", "unreachable");
        missing.put("eu-west-1", "circuit-open");
        assertThat(Evaluation.missingText(java.util.Map.of("us-east-1", "timeout")))
                .isEqualTo("region us-east-1 missing (timeout)");
        assertThat(Evaluation.missingText(missing))
                .isEqualTo("regions missing: ap-south-1 (unreachable), eu-west-1 (circuit-open), us-east-1 (timeout)");
        assertThat(Evaluation.missing(missing, null).missingRegions().keySet())
                .containsExactly("ap-south-1", "eu-west-1", "us-east-1");
    }
}
