package io.tally.engine.rules;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ValueSketchTest {
    private static final double[] QUANTILES = {0.5, 0.75, 0.8, 0.9, 0.95, 0.99, 0.999};

    /** carbon's percentile, written out from its description: sort, rank = q(n-1), interpolate. */
    private static double reference(double[] values, double q) {
        double[] v = values.clone();
        Arrays.sort(v);
        double rank = q * (v.length - 1);
        int left = (int) Math.floor(rank);
        int right = (int) Math.ceil(rank);
        return left == right ? v[left] : v[left] * (right - rank) + v[right] * (rank - left);
    }

    private static ValueSketch sketchOf(int rawLimit, double... values) {
        ValueSketch s = new ValueSketch(rawLimit);
        for (double v : values) {
            s.add(v);
        }
        return s;
    }

    @Test
    void percentilesOfAHandComputedExample() {
        ValueSketch s = sketchOf(100, 50, 15, 40, 35, 20);
        // sorted 15 20 35 40 50; rank = q * 4
        assertThat(s.quantile(0.50)).isEqualTo(35.0);                          // rank 2
        assertThat(s.quantile(0.75)).isEqualTo(40.0);                          // rank 3
        assertThat(s.quantile(0.80)).isCloseTo(40 * 0.8 + 50 * 0.2, within(1e-12)); // rank 3.2 -> 42
        assertThat(s.quantile(0.90)).isCloseTo(46.0, within(1e-12));           // rank 3.6: 40*0.4 + 50*0.6
        assertThat(s.quantile(0.99)).isCloseTo(49.6, within(1e-12));           // rank 3.96
        assertThat(s.quantile(0.999)).isCloseTo(49.96, within(1e-12));         // rank 3.996
        ValueSketch four = sketchOf(100, 4, 1, 3, 2);
        assertThat(four.quantile(0.5)).isEqualTo(2.5);                         // rank 1.5
        assertThat(four.quantile(0.8)).isCloseTo(3.4, within(1e-12));          // rank 2.4: 3*0.6 + 4*0.4
        assertThat(sketchOf(100, 7).quantile(0.999)).isEqualTo(7.0);
        assertThat(new ValueSketch(100).quantile(0.5)).isNaN();
    }

    @RepeatedTest(20)
    void exactModeIsCarbonsResultToTheBit(RepetitionInfo info) {
        Random r = new Random(info.getCurrentRepetition());
        double[] values = new double[1 + r.nextInt(3000)];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextInt(4) == 0 ? r.nextInt(100) : r.nextGaussian() * 1000;
        }
        ValueSketch s = sketchOf(10_000, values);
        assertThat(s.isExact()).isTrue();
        for (double q : QUANTILES) {
            assertThat(s.quantile(q)).as("q=%s", q).isEqualTo(reference(values, q));
        }
    }

    @RepeatedTest(10)
    void approximateModeStaysWithinATenthOfAPercent(RepetitionInfo info) {
        Random r = new Random(100 + info.getCurrentRepetition());
        double[] values = new double[20_000 + r.nextInt(20_000)];
        for (int i = 0; i < values.length; i++) {
            double magnitude = Math.exp(r.nextGaussian() * 3);
            values[i] = switch (r.nextInt(10)) {
                case 0 -> -magnitude;
                case 1 -> 0.0;
                default -> magnitude;
            };
        }
        ValueSketch s = sketchOf(1000, values);
        assertThat(s.isExact()).isFalse();
        assertThat(s.count()).isEqualTo(values.length);
        for (double q : QUANTILES) {
            double exact = reference(values, q);
            assertThat(s.quantile(q)).as("q=%s", q).isCloseTo(exact, within(Math.abs(exact) * 1e-3 + 1e-12));
        }
        assertThat(s.quantile(0)).isEqualTo(Arrays.stream(values).min().orElseThrow());
        assertThat(s.quantile(1)).isEqualTo(Arrays.stream(values).max().orElseThrow());
    }

    @Test
    void switchesModeOnlyPastTheLimit() {
        ValueSketch s = new ValueSketch(3);
        s.add(1);
        s.add(2);
        s.add(3);
        assertThat(s.isExact()).isTrue();
        s.add(4);
        assertThat(s.isExact()).isFalse();
        assertThat(s.quantile(0.5)).isCloseTo(2.5, within(2.5e-3));
    }

    @Test
    void keepsInfinitiesAtTheEnds() {
        double[] values = new double[5000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 1000 == 0 ? Double.POSITIVE_INFINITY : i % 1000 == 1 ? Double.NEGATIVE_INFINITY : i;
        }
        ValueSketch s = sketchOf(100, values);
        assertThat(s.quantile(0.999)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(s.quantile(0.5)).isCloseTo(reference(values, 0.5), within(reference(values, 0.5) * 1e-3));
        assertThat(sketchOf(100, values).quantile(0)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void survivesExtremeSpreadsOfMagnitude() {
        Random r = new Random(7);
        ValueSketch s = new ValueSketch(10);
        double[] values = new double[4000];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (i % 4) {
                case 0 -> 1e-300 * (1 + r.nextDouble());
                case 1 -> 1e300 * (1 + r.nextDouble());
                case 2 -> -1e-200 * (i + 1);
                default -> (1 + r.nextDouble()) * Math.pow(10, r.nextInt(600) - 300);
            };
            s.add(values[i]);
        }
        assertThat(s.count()).isEqualTo(values.length);
        double exact = reference(values, 0.99);
        assertThat(s.quantile(0.99)).isCloseTo(exact, within(Math.abs(exact) * 1e-3));
        assertThat(s.quantile(1)).isEqualTo(Arrays.stream(values).max().orElseThrow());
        assertThat(s.quantile(0)).isEqualTo(Arrays.stream(values).min().orElseThrow());
        assertThat(s.quantile(0.5)).isBetween(-1e-100, 1e300);
    }

    @Test
    void clearStartsOverExactly() {
        ValueSketch s = sketchOf(2, 1, 2, 3, 4);
        assertThat(s.isExact()).isFalse();
        s.clear();
        assertThat(s.count()).isZero();
        s.add(9);
        s.add(1);
        assertThat(s.isExact()).isTrue();
        assertThat(s.quantile(0.5)).isEqualTo(5.0);
    }
}
