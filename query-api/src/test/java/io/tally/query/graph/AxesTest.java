package io.tally.query.graph;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;

/** Value axes (steps, bounds, unit prefixes) and time axes (steps by span, labels in the request's zone). */
class AxesTest {
    private static final GraphOptions.UnitSystem SI = GraphOptions.UnitSystem.SI;
    private final Canvas measure = new SvgCanvas(330, 250, "", false);

    @Test
    void stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(YAxis.nice(0.7, SI)).isEqualTo(1);
        assertThat(YAxis.nice(1.3, SI)).isEqualTo(2);
        assertThat(YAxis.nice(37, SI)).isEqualTo(50);
        assertThat(YAxis.nice(0.013, SI)).isEqualTo(0.02);
        assertThat(YAxis.nice(700, GraphOptions.UnitSystem.BINARY)).isEqualTo(1024);
    }

    @Test
    void boundsAreRoundedOutToWholeSteps() {
        YAxis a = YAxis.of(3, 97, Double.NaN, Double.NaN, Double.NaN, 0, SI, 5);
        assertThat(a.min).isEqualTo(0);
        assertThat(a.max).isEqualTo(100);
        assertThat(a.labels).containsExactly("0", "20", "40", "60", "80", "100");
        assertThat(a.fraction(50)).isEqualTo(0.5);
    }

    @Test
    void fixedBoundsAndStepWin() {
        YAxis a = YAxis.of(3, 97, -10, 10, 5, 0, SI, 5);
        assertThat(a.min).isEqualTo(-10);
        assertThat(a.max).isEqualTo(10);
        assertThat(a.labels).containsExactly("-10", "-5", "0", "5", "10");
    }

    @Test
    void labelsCarryAUnitPrefix() {
        assertThat(YAxis.of(0, 2_500_000, Double.NaN, Double.NaN, Double.NaN, 0, SI, 5).labels)
                .containsExactly("0", "0.5M", "1.0M", "1.5M", "2.0M", "2.5M");
        assertThat(YAxis.of(0, 3 << 20, Double.NaN, Double.NaN, Double.NaN, 0,
                GraphOptions.UnitSystem.BINARY, 3).labels).containsExactly("0", "1Mi", "2Mi", "3Mi");
        assertThat(YAxis.of(0, 0.5, Double.NaN, Double.NaN, Double.NaN, 0, SI, 5).labels)
                .containsExactly("0", "0.1", "0.2", "0.3", "0.4", "0.5");
    }

    @Test
    void constantAndEmptyDataStillMakeAnAxis() {
        YAxis constant = YAxis.of(5, 5, Double.NaN, Double.NaN, Double.NaN, 0, SI, 5);
        assertThat(constant.min).isLessThan(5);
        assertThat(constant.max).isGreaterThan(5);
        YAxis empty = YAxis.of(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, SI, 5);
        assertThat(empty.min).isEqualTo(0);
        assertThat(empty.max).isEqualTo(1);
    }

    @Test
    void logAxesTickAtPowersOfTheBase() {
        YAxis a = YAxis.of(3, 4000, Double.NaN, Double.NaN, Double.NaN, 10, SI, 5);
        assertThat(a.labels).containsExactly("1", "10", "100", "1K", "10K");
        assertThat(a.fraction(100)).isEqualTo(0.5);
        assertThat(a.fraction(0)).isNaN();
    }

    @Test
    void timeLabelsFollowTheSpanAndTheZone() {
        long day = ZonedDateTime.of(2024, 3, 30, 0, 0, 0, 0, ZoneOffset.UTC).toEpochSecond();
        TimeAxis hours = TimeAxis.of(day, day + 86_400, ZoneOffset.UTC, 300, measure, 10);
        assertThat(hours.labels).contains("00:00", "12:00");
        assertThat(hours.ticks[1] - hours.ticks[0]).isEqualTo(hours.ticks[2] - hours.ticks[1]);
        // Berlin's midnight is 23:00 UTC the day before; labels are local
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        TimeAxis local = TimeAxis.of(day, day + 86_400, berlin, 300, measure, 10);
        long stepHours = (local.ticks[1] - local.ticks[0]) / 3600;
        for (int i = 0; i < local.ticks.length; i++) {
            ZonedDateTime at = ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(local.ticks[i]), berlin);
            assertThat(at.getHour() % stepHours).isZero();
            assertThat(local.labels[i]).isEqualTo(String.format("%02d:00", at.getHour()));
        }
        assertThat(local.labels[0]).isNotEqualTo(hours.labels[0]);
        TimeAxis week = TimeAxis.of(day, day + 7 * 86_400, berlin, 600, measure, 10);
        assertThat(week.labels).contains("03/31", "04/01");
        for (long t : week.ticks) { // across the DST change of 31 March, each tick is a local midnight
            assertThat(ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(t), berlin).getHour()).isZero();
        }
        TimeAxis minutes = TimeAxis.of(day, day + 600, ZoneOffset.UTC, 300, measure, 10);
        assertThat(minutes.labels).contains("00:00", "00:10");
    }
}
