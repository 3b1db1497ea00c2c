package io.tally.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class PythonFloatTest {
    /** Input and Python 3.11's float(input).hex() (or ERR), generated with python3. */
    private static final String[][] PYTHON = {
        {"0", "0x0.0p+0"},
        {"-0", "-0x0.0p+0"},
        {"12", "0x1.8000000000000p+3"},
        {"-3.5", "-0x1.c000000000000p+1"},
        {"1e3", "0x1.f400000000000p+9"},
        {"1E-3", "0x1.0624dd2f1a9fcp-10"},
        {"inf", "inf"},
        {"-inf", "-inf"},
        {"+Infinity", "inf"},
        {"nan", "nan"},
        {"-NaN", "nan"},
        {"NAN", "nan"},
        {"1_000", "0x1.f400000000000p+9"},
        {"1__0", "ERR"},
        {"_1", "ERR"},
        {"1_", "ERR"},
        {".5", "0x1.0000000000000p-1"},
        {"5.", "0x1.4000000000000p+2"},
        {".", "ERR"},
        {"-", "ERR"},
        {"+.5e-3", "0x1.0624dd2f1a9fcp-11"},
        {"1e400", "inf"},
        {"-1e400", "-inf"},
        {"1e-400", "0x0.0p+0"},
        {"0.1", "0x1.999999999999ap-4"},
        {"0.30000000000000004", "0x1.3333333333334p-2"},
        {"123456789012345678901234567890", "0x1.8ee90ff6c373ep+96"},
        {"9007199254740993", "0x1.0000000000000p+53"},
        {"1700000000", "0x1.954fc40000000p+30"},
        {"1700000000.99999999999", "0x1.954fc40400000p+30"},
        {"4.9e-324", "0x0.0000000000001p-1022"},
        {"2.2250738585072014e-308", "0x1.0000000000000p-1022"},
        {"1.7976931348623157e308", "0x1.fffffffffffffp+1023"},
        {"1.7976931348623159e308", "inf"},
        {"0x10", "ERR"},
        {"1e", "ERR"},
        {"e5", "ERR"},
        {"1e+", "ERR"},
        {"1.5_5", "0x1.8cccccccccccdp+0"},
        {"1e1_0", "0x1.2a05f20000000p+33"},
        {"12abc", "ERR"},
        {"1 2", "ERR"},
        {"", "ERR"},
        {"++1", "ERR"},
        {"--1", "ERR"},
        {"1.2.3", "ERR"},
        {"infinity1", "ERR"},
        {"in", "ERR"},
        {"0e999999999999", "0x0.0p+0"},
        {"1e-99999999999", "0x0.0p+0"},
        {"00012", "0x1.8000000000000p+3"},
        {"1d", "ERR"},
        {"1f", "ERR"},
        {"0.000001", "0x1.0c6f7a0b5ed8dp-20"},
        {"123.456e-7", "0x1.9e3fe580f5494p-17"},
        {"-0.0e0", "-0x0.0p+0"},
        {"1e22", "0x1.0f0cf064dd592p+73"},
        {"1e23", "0x1.52d02c7e14af6p+76"},
        {"9007199254740992e-22", "0x1.e392010175ee6p-21"},
    };

    private static Double parse(String s) {
        PythonFloat f = new PythonFloat();
        byte[] b = ("xx" + s + "yy").getBytes(StandardCharsets.US_ASCII);
        return f.parse(b, 2, b.length - 2) ? f.value() : null;
    }

    private static Double expected(String hex) {
        return switch (hex) {
            case "ERR" -> null;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(hex);
        };
    }

    @Test
    void matchesPythonOnFixedCases() {
        for (String[] c : PYTHON) {
            Double want = expected(c[1]);
            Double got = parse(c[0]);
            assertThat(got).as("float('%s')", c[0]).isEqualTo(want);
        }
    }

    private static final Pattern PY_FLOAT = Pattern.compile(
            "[+-]?(?:(?:\\d(?:_?\\d)*)?\\.\\d(?:_?\\d)*|\\d(?:_?\\d)*\\.?)(?:[eE][+-]?\\d(?:_?\\d)*)?");

    /** Slow reference: Python's grammar as a regex, then the JDK's correctly rounded conversion. */
    private static Double reference(String s) {
        if (!PY_FLOAT.matcher(s).matches()) {
            String t = s.toLowerCase().replaceFirst("^[+-]", "");
            if (t.equals("inf") || t.equals("infinity")) {
                return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            return t.equals("nan") ? Double.NaN : null;
        }
        return Double.parseDouble(s.replace("_", ""));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void matchesReferenceOnRandomNumbers(long seed) {
        Random r = new Random(seed);
        String alphabet = "0123456789000.-+eE_";
        for (int i = 0; i < 50_000; i++) {
            StringBuilder sb = new StringBuilder();
            int kind = r.nextInt(3);
            if (kind == 0) {
                int n = 1 + r.nextInt(12);
                for (int j = 0; j < n; j++) {
                    sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
            } else {
                if (r.nextBoolean()) {
                    sb.append('-');
                }
                sb.append(r.nextInt(1 << 30)).append('.').append(Math.abs(r.nextLong()) % 100000000000000000L);
                if (kind == 2) {
                    sb.append('e').append(r.nextInt(700) - 350);
                }
            }
            String s = sb.toString();
            assertThat(parse(s)).as("float('%s')", s).isEqualTo(reference(s));
        }
    }
}
