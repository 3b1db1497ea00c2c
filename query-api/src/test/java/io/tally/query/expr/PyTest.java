package io.tally.query.expr;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PyTest {

    @ParameterizedTest
    @CsvSource({"7, 7.0", "123.5, 123.5", "1e16, 1e+16", "1e15, 1000000000000000.0", "0.0001, 0.0001",
            "0.00001, 1e-05", "-2.5, -2.5", "1e300, 1e+300", "0.1, 0.1", "123456789.125, 123456789.125",
            "1.5e-7, 1.5e-07", "-0.0, -0.0"})
    void reprLikePython(double v, String expected) {
        assertThat(Py.repr(v)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"2, 2", "2.5, 2.5", "-50, -50", "1e300, 1e+300", "1000000, 1e+06", "123456, 123456",
            "1234567, 1.23457e+06", "0.0001, 0.0001", "0.00001, 1e-05", "75, 75", "0.333333333, 0.333333",
            "100.5, 100.5", "2.0000004, 2"})
    void percentGLikePython(double v, String expected) {
        assertThat(Py.g(v)).isEqualTo(expected);
    }

    @Test
    void specialValues() {
        assertThat(Py.repr(Double.NaN)).isEqualTo("nan");
        assertThat(Py.g(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(Py.str(null)).isEqualTo("None");
        assertThat(Py.str(true)).isEqualTo("True");
        assertThat(Py.str(200L)).isEqualTo("200");
        assertThat(Py.str(2.0)).isEqualTo("2.0");
    }

    /** repr must round-trip: the text parses back to the same double, for random values of all magnitudes. */
    @Test
    void reprRoundTrips() {
        Random r = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            double v = Double.longBitsToDouble(r.nextLong());
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                continue;
            }
            assertThat(Double.parseDouble(Py.repr(v))).isEqualTo(v);
        }
    }

    @Test
    void formatCoversTheUsualDirectives() {
        assertThat(Py.format("Channel %d MHz", 2412.7)).isEqualTo("Channel 2412 MHz");
        assertThat(Py.format("%.2f%s", 3.14159, "K")).isEqualTo("3.14K");
        assertThat(Py.format("%-6s|%5.1f|%05d", "ab", 2.25, -42.0)).isEqualTo("ab    |  2.2|-0042");
        assertThat(Py.format("%s %%", 1.5)).isEqualTo("1.5 %");
        assertThat(Py.format("%e", 12345.678)).isEqualTo("1.234568e+04");
        assertThat(Py.format("%.3g", 0.000012345)).isEqualTo("1.23e-05");
        assertThatThrownBy(() -> Py.format("%d %d", 1.0)).hasMessageContaining("not enough arguments");
    }

    @Test
    void truthiness() {
        assertThat(Py.truthy("false")).isTrue();
        assertThat(Py.truthy("")).isFalse();
        assertThat(Py.truthy(0L)).isFalse();
        assertThat(Py.truthy(List.of())).isFalse();
        assertThat(Py.truthy(null)).isFalse();
    }
}
