package io.tally.engine.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AggregationMethodTest {
    private static final double N = Double.NaN;
    private final double[] slots = {N, 2, -7, N, 4, 1};

    @Test
    void aggregatesKnownSlotsLikeWhisper() {
        assertThat(AggregationMethod.AVERAGE.aggregate(slots, 0, 6)).isEqualTo(0.0);
        assertThat(AggregationMethod.SUM.aggregate(slots, 0, 6)).isEqualTo(0.0);
        assertThat(AggregationMethod.LAST.aggregate(slots, 0, 6)).isEqualTo(1.0);
        assertThat(AggregationMethod.MAX.aggregate(slots, 0, 6)).isEqualTo(4.0);
        assertThat(AggregationMethod.MIN.aggregate(slots, 0, 6)).isEqualTo(-7.0);
        assertThat(AggregationMethod.ABSMAX.aggregate(slots, 0, 6)).isEqualTo(-7.0);
        assertThat(AggregationMethod.ABSMIN.aggregate(slots, 0, 6)).isEqualTo(1.0);
    }

    @Test
    void avgZeroCountsUnknownSlotsAsZero() {
        assertThat(AggregationMethod.AVG_ZERO.aggregate(new double[] {N, 6, N}, 0, 3)).isEqualTo(2.0);
    }

    @Test
    void noKnownSlotGivesNaN() {
        assertThat(AggregationMethod.SUM.aggregate(new double[] {N, N}, 0, 2)).isNaN();
    }

    @Test
    void parsesWhisperNamesAndCodes() {
        assertThat(AggregationMethod.parse("avg_zero")).isEqualTo(AggregationMethod.AVG_ZERO);
        assertThat(AggregationMethod.parse("median")).isNull();
        assertThat(AggregationMethod.fromCode(7)).isEqualTo(AggregationMethod.ABSMAX);
    }
}
