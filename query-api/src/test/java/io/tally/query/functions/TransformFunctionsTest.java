package io.tally.query.functions;

import io.tally.query.expr.Fixture;
import io.tally.query.expr.Series;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tally.query.expr.Fixture.N;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** One test per Transform function, over a small fixture (window (100, 160], step 10). */
class TransformFunctionsTest {
    private final Fixture f = new Fixture()
            .add("x", 110, 10, 1, -2, N, 4, 0.5, 9)
            .add("gaps", 110, 10, N, 1, N, N, 4, N)
            .add("c.x", 110, 10, 10, 20, 15, N, 30, 50)
            .add("ramp", 10, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);

    private double[] v(String target) {
        return f.one(target).values();
    }

    @Test
    void scale() {
        Series s = f.one("scale(x, 2)");
        assertThat(s.name()).isEqualTo("scale(x,2)");
        assertThat(s.pathExpression()).isEqualTo("scale(x,2)");
        assertThat(s.tags()).containsEntry("scale", "2.0");
        assertThat(s.values()).containsExactly(2, -4, N, 8, 1, 18);
        assertThat(f.one("scale(x, 1e6)").name()).isEqualTo("scale(x,1e+06)");
    }

    @Test
    void scaleToSeconds() {
        assertThat(f.one("scaleToSeconds(x, 1)").name()).isEqualTo("scaleToSeconds(x,1)");
        assertThat(v("scaleToSeconds(x, 1)")).containsExactly(0.1, -0.2, N, 0.4, 0.05, 0.9);
    }

    @Test
    void offset() {
        assertThat(f.one("offset(x, -5)").name()).isEqualTo("offset(x,-5)");
        assertThat(v("offset(x, -5)")).containsExactly(-4, -7, N, -1, -4.5, 4);
    }

    @Test
    void offsetToZero() {
        assertThat(v("offsetToZero(x)")).containsExactly(3, 0, N, 6, 2.5, 11);
    }

    @Test
    void absolute() {
        assertThat(v("absolute(x)")).containsExactly(1, 2, N, 4, 0.5, 9);
    }

    @Test
    void invert() {
        assertThat(v("invert(x)")).containsExactly(1, -0.5, N, 0.25, 2, 1.0 / 9);
    }

    @Test
    void squareRoot() {
        assertThat(v("squareRoot(x)")).containsExactly(1, N, N, 2, Math.sqrt(0.5), 3);
    }

    @Test
    void pow() {
        assertThat(f.one("pow(x, 2)").name()).isEqualTo("pow(x,2)");
        assertThat(v("pow(x, 2)")).containsExactly(1, 4, N, 16, 0.25, 81);
        assertThat(v("pow(x, 0.5)")[1]).isNaN();
    }

    @Test
    void exp() {
        assertThat(v("exp(x)")[0]).isEqualTo(Math.E);
    }

    @Test
    void add() {
        assertThat(f.one("add(x, 2.7)").name()).isEqualTo("add(x,2)");
        assertThat(v("add(x, 2.5)")).containsExactly(3.5, 0.5, N, 6.5, 3, 11.5);
    }

    @Test
    void sigmoid() {
        assertThat(v("sigmoid(x)")[4]).isCloseTo(1 / (1 + Math.exp(-0.5)), within(1e-15));
    }

    @Test
    void logit() {
        assertThat(v("logit(x)")).containsExactly(N, N, N, N, 0, N);
    }

    @Test
    void log() {
        Series s = f.one("log(x, 3)");
        assertThat(s.name()).isEqualTo("log(x, 3)");
        assertThat(s.values()[5]).isCloseTo(2, within(1e-15));
        assertThat(s.values()[1]).isNaN();
        assertThat(f.one("log(x)").name()).isEqualTo("log(x, 10)");
    }

    @Test
    void minMax() {
        assertThat(v("minMax(x)")).containsExactly(3.0 / 11, 0, N, 6.0 / 11, 2.5 / 11, 1);
    }

    @Test
    void round() {
        assertThat(v("round(offset(x, 0.25))")).containsExactly(1, -2, N, 4, 1, 9);
        assertThat(f.one("round(x, 1)").name()).isEqualTo("round(x,1)");
    }

    @Test
    void derivative() {
        assertThat(v("derivative(c.x)")).containsExactly(N, 10, -5, N, N, 20);
    }

    @Test
    void perSecond() {
        assertThat(v("perSecond(c.x)")).containsExactly(N, 1, N, N, N, 2);
        assertThat(v("perSecond(c.x, 100)")[2]).isEqualTo(9.6);
    }

    @Test
    void nonNegativeDerivative() {
        assertThat(v("nonNegativeDerivative(c.x)")).containsExactly(N, 10, N, N, N, 20);
        assertThat(v("nonNegativeDerivative(c.x, minValue=0)")[2]).isEqualTo(15);
        assertThat(v("nonNegativeDerivative(c.x, 40)")).containsExactly(N, 10, 36, N, N, N);
    }

    @Test
    void integral() {
        assertThat(v("integral(gaps)")).containsExactly(N, 1, N, N, 5, N);
    }

    @Test
    void integralByInterval() {
        Series s = f.one("integralByInterval(ramp, '30s')");
        assertThat(s.name()).isEqualTo("integralByInterval(ramp,'30s')");
        assertThat(s.values()).containsExactly(11, 23, 13, 27, 42, 16);
    }

    @Test
    void keepLastValue() {
        assertThat(v("keepLastValue(gaps)")).containsExactly(N, 1, 1, 1, 4, 4);
        assertThat(v("keepLastValue(gaps, 1)")).containsExactly(N, 1, N, N, 4, 4);
    }

    @Test
    void interpolate() {
        assertThat(v("interpolate(gaps)")).containsExactly(N, 1, 2, 3, 4, N);
    }

    @Test
    void delay() {
        assertThat(f.one("delay(x, 1)").name()).isEqualTo("delay(x,1)");
        assertThat(v("delay(x, 1)")).containsExactly(N, 1, -2, N, 4, 0.5);
        assertThat(v("delay(x, -2)")).containsExactly(N, 4, 0.5, 9, N, N);
    }

    @Test
    void timeShift() {
        Series s = f.one("timeShift(ramp, '30s')");
        assertThat(s.name()).isEqualTo("timeShift(ramp, \"-30s\")");
        assertThat(s.start()).isEqualTo(110);
        assertThat(s.values()).containsExactly(8, 9, 10, 11, 12, 13);
        assertThat(f.fetches).contains("ramp 70 130");
        assertThat(f.one("timeShift(ramp, '+10s')").values()).startsWith(12, 13);
        assertThat(f.eval("timeShift(nothing, '1d')")).isEmpty();
    }

    @Test
    void timeStack() {
        List<Series> out = f.eval("timeStack(ramp, '20s', 0, 2)");
        assertThat(out).extracting(Series::name).containsExactly("timeShift(ramp, -20s, 0)",
                "timeShift(ramp, -20s, 1)");
        assertThat(out.get(1).values()).containsExactly(9, 10, 11, 12, 13, 14);
        assertThat(out.get(1).start()).isEqualTo(110);
    }

    @Test
    void timeSlice() {
        Series s = f.one("timeSlice(ramp, 120, 140)");
        assertThat(s.name()).isEqualTo("timeSlice(ramp, 120, 140)");
        // as in graphite-web, point times are counted from the request's from (100), not the first point (110)
        assertThat(s.values()).containsExactly(N, N, 13, 14, 15, N);
    }

    @Test
    void summarize() {
        Series s = f.one("summarize(ramp, '30s')");
        assertThat(s.name()).isEqualTo("summarize(ramp, \"30s\", \"sum\")");
        assertThat(s.start()).isEqualTo(90);
        assertThat(s.step()).isEqualTo(30);
        assertThat(s.values()).containsExactly(11, 39, 31);
        assertThat(f.one("summarize(ramp, '30s', 'max', true)").values()).containsExactly(13, 16);
        assertThat(f.one("summarize(gaps, '30s', 'avg')").values()).containsExactly(N, 1, 4);
    }

    @Test
    void smartSummarize() {
        Series s = f.one("smartSummarize(ramp, '30s', 'sum')");
        assertThat(s.name()).isEqualTo("smartSummarize(ramp, \"30s\", \"sum\")");
        assertThat(s.start()).isEqualTo(110);
        assertThat(s.values()).containsExactly(36, 45);
        Series aligned = f.one("smartSummarize(ramp, '30s', 'sum', 'minutes')");
        assertThat(aligned.start()).isEqualTo(70);
        assertThat(aligned.values()).containsExactly(24, 33, 42, 16);
    }

    @Test
    void hitcount() {
        Series s = f.one("hitcount(ramp, '30s')");
        assertThat(s.name()).isEqualTo("hitcount(ramp, \"30s\")");
        assertThat(s.start()).isEqualTo(110);
        assertThat(s.values()).containsExactly(360, 450);
        assertThat(f.one("hitcount(gaps, '30s')").values()).containsExactly(10, 40);
    }

    @Test
    void transformNull() {
        Series s = f.one("transformNull(gaps, -1)");
        assertThat(s.name()).isEqualTo("transformNull(gaps,-1)");
        assertThat(s.values()).containsExactly(-1, 1, -1, -1, 4, -1);
        assertThat(f.one("transformNull(gaps)").tags()).containsEntry("transformNull", "0");
        Series ref = f.one("transformNull(gaps, 0, x)");
        assertThat(ref.name()).isEqualTo("transformNull(gaps,0,referenceSeries)");
        assertThat(ref.values()).containsExactly(0, 1, N, 0, 4, 0);
    }

    @Test
    void isNonNull() {
        assertThat(v("isNonNull(gaps)")).containsExactly(0, 1, 0, 0, 1, 0);
    }

    @Test
    void timeFunction() {
        Series s = f.one("time('t', 20)");
        assertThat(s.name()).isEqualTo("t");
        assertThat(s.values()).containsExactly(100, 120, 140);
    }

    @Test
    void sinFunction() {
        assertThat(f.one("sin('s', 2, 30)").values()).containsExactly(2 * Math.sin(100), 2 * Math.sin(130));
    }
}
