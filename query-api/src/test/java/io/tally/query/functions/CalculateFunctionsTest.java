package io.tally.query.functions;

import io.tally.query.expr.Fixture;
import io.tally.query.expr.Series;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tally.query.expr.Fixture.N;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * One test per Calculate function. {@code ramp} is stored from 10 s to 160 s with value = timestamp / 10, so the
 * re-fetched bootstrap windows of moving and Holt-Winters functions find data before the request's (100, 160].
 */
class CalculateFunctionsTest {
    private final Fixture f = new Fixture()
            .add("ramp", 10, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)
            .add("half", 10, 10, N, 2, N, 4, N, 6, N, 8, N, 10, N, 12, N, 14, N, 16)
            .add("const", 10, 10, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5);

    @Test
    void movingWindow() {
        Series s = f.one("movingWindow(ramp, 2, 'max')");
        assertThat(s.name()).isEqualTo("movingMax(ramp,2)");
        assertThat(s.values()).containsExactly(10, 11, 12, 13, 14, 15);
        assertThat(f.one("movingWindow(half, 2, 'sum', 0.6)").values()).containsOnly(N);
        assertThat(f.one("movingWindow(half, 2, 'sum', 0.5)").values()).containsExactly(10, 10, 12, 12, 14, 14);
    }

    @Test
    void movingAverage() {
        Series s = f.one("movingAverage(ramp, 2)");
        assertThat(s.name()).isEqualTo("movingAverage(ramp,2)");
        assertThat(s.start()).isEqualTo(110);
        assertThat(s.values()).containsExactly(9.5, 10.5, 11.5, 12.5, 13.5, 14.5);
        assertThat(s.tags()).containsEntry("movingAverage", "2");
        assertThat(f.fetches).contains("ramp 80 160");
        Series byTime = f.one("movingAverage(ramp, '20s')");
        assertThat(byTime.name()).isEqualTo("movingAverage(ramp,\"20s\")");
        assertThat(byTime.values()).containsExactly(9.5, 10.5, 11.5, 12.5, 13.5, 14.5);
    }

    @Test
    void movingMedian() {
        assertThat(f.one("movingMedian(ramp, 3)").values()).containsExactly(9, 10, 11, 12, 13, 14);
    }

    @Test
    void movingSum() {
        assertThat(f.one("movingSum(ramp, 2)").values()).containsExactly(19, 21, 23, 25, 27, 29);
    }

    @Test
    void movingMin() {
        assertThat(f.one("movingMin(ramp, '20s')").values()).containsExactly(9, 10, 11, 12, 13, 14);
    }

    @Test
    void movingMax() {
        assertThat(f.one("movingMax(ramp, 2)").values()).containsExactly(10, 11, 12, 13, 14, 15);
    }

    @Test
    void exponentialMovingAverage() {
        Series s = f.one("exponentialMovingAverage(ramp, 2)");
        assertThat(s.name()).isEqualTo("exponentialMovingAverage(ramp,2)");
        assertThat(s.start()).isEqualTo(110);
        assertThat(s.values()).containsExactly(9.5, 10.5, 11.5, 12.5, 13.5, 14.5, 15.5);
    }

    @Test
    void nPercentile() {
        Series s = f.one("nPercentile(ramp, 50)");
        assertThat(s.name()).isEqualTo("nPercentile(ramp, 50)");
        assertThat(s.values()).containsExactly(14, 14, 14, 14, 14, 14);
        assertThat(f.eval("nPercentile(timeShift(ramp, '1d'), 50)")).isEmpty();
    }

    @Test
    void stdev() {
        Series s = f.one("stdev(ramp, 3)");
        assertThat(s.name()).isEqualTo("stdev(ramp,3)");
        assertThat(s.values()[0]).isEqualTo(0);
        assertThat(s.values()[1]).isEqualTo(0.5);
        assertThat(s.values()[2]).isCloseTo(Math.sqrt(6) / 3, within(1e-12));
    }

    @Test
    void aggregateLine() {
        Series s = f.one("aggregateLine(ramp)");
        assertThat(s.name()).isEqualTo("aggregateLine(ramp, 13.5)");
        assertThat(s.values()).containsExactly(13.5, 13.5, 13.5);
        assertThat(s.step()).isEqualTo(30);
        assertThat(f.one("aggregateLine(ramp, 'max', true)").values()).containsExactly(16, 16, 16, 16, 16, 16);
    }

    @Test
    void holtWintersForecast() {
        Series s = f.one("holtWintersForecast(const, '30s', '20s')");
        assertThat(s.name()).isEqualTo("holtWintersForecast(const)");
        assertThat(s.start()).isEqualTo(110);
        assertThat(s.values()).containsExactly(5, 5, 5, 5, 5, 5);
        assertThat(f.fetches).contains("const 70 160");
        Series ramp = f.one("holtWintersForecast(ramp, '30s', '20s')");
        assertThat(ramp.values()).hasSize(6);
        for (double v : ramp.values()) {
            assertThat(v).isBetween(5.0, 17.0);
        }
    }

    @Test
    void holtWintersConfidenceBands() {
        List<Series> out = f.eval("holtWintersConfidenceBands(const, 3, '30s', '20s')");
        assertThat(out).extracting(Series::name).containsExactly("holtWintersConfidenceLower(const)",
                "holtWintersConfidenceUpper(const)");
        assertThat(out.get(0).values()).containsOnly(5.0);
        assertThat(out.get(1).values()).containsOnly(5.0);
    }

    @Test
    void holtWintersAberration() {
        Series s = f.one("holtWintersAberration(const, 3, '30s', '20s')");
        assertThat(s.name()).isEqualTo("holtWintersAberration(const)");
        assertThat(s.values()).containsOnly(0.0);
        Series jump = f.one("holtWintersAberration(offset(const, 0), 3, '30s', '20s')");
        assertThat(jump.values()).containsOnly(0.0);
    }

    @Test
    void holtWintersConfidenceArea() {
        assertThat(f.eval("holtWintersConfidenceArea(const, 3, '30s', '20s')")).extracting(Series::name)
                .containsExactly("holtWintersConfidenceArea(const)", "holtWintersConfidenceArea(const)");
    }

    @Test
    void linearRegression() {
        Series s = f.one("linearRegression(ramp)");
        assertThat(s.name()).isEqualTo("linearRegression(ramp, 100, 160)");
        assertThat(s.values()).usingComparatorWithPrecision(1e-9).containsExactly(11, 12, 13, 14, 15, 16);
        assertThat(f.one("linearRegression(ramp, 40, 80)").values()[0]).isCloseTo(11, within(1e-9));
    }

    @Test
    void identity() {
        Series s = new Fixture().window(100, 220).one("identity('x')");
        assertThat(s.name()).isEqualTo("x");
        assertThat(s.pathExpression()).isEqualTo("identity(\"x\")");
        assertThat(s.values()).containsExactly(100, 160);
    }
}
