package io.tally.query;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class JsonWriterTest {

    private static String dbl(double v) {
        return new JsonWriter(false, true).value(v).toString();
    }

    /** Expected texts are what Python 3's json.dumps writes for the same doubles. */
    @ParameterizedTest
    @CsvSource({
            "0.1, 0.1",
            "1.0, 1.0",
            "100, 100.0",
            "-0.0, -0.0",
            "1e16, 1e+16",
            "1.5e16, 1.5e+16",
            "1e15, 1000000000000000.0",
            "12345678.9, 12345678.9",
            "1e-5, 1e-05",
            "0.0001, 0.0001",
            "0.00012345, 0.00012345",
            "1.5e-7, 1.5e-07",
            "1e22, 1e+22",
            "123456789012.5, 123456789012.5",
            "4.9e-324, 5e-324",
            "1.7976931348623157e308, 1.7976931348623157e+308",
            "1e7, 10000000.0",
            "0.0025, 0.0025",
            "-3.25e-10, -3.25e-10",
            "85.44034482758622, 85.44034482758622"
    })
    void doublesAreWrittenLikePythonRepr(double v, String expected) {
        assertThat(dbl(v)).isEqualTo(expected);
    }

    /** 3000 seeded random doubles with the text Python 3's repr gave for each (generated once, kept as a file). */
    @Test
    void matchesPythonReprOnRandomDoubles() throws java.io.IOException {
        try (var in = getClass().getResourceAsStream("/python_repr.txt")) {
            String[] lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).split("\n");
            assertThat(lines).hasSizeGreaterThan(1000);
            for (String line : lines) {
                int sp = line.indexOf(' ');
                double v = Double.longBitsToDouble(Long.parseUnsignedLong(line.substring(0, sp), 16));
                assertThat(dbl(v)).as(line).isEqualTo(line.substring(sp + 1));
            }
        }
    }

    @Test
    void nanIsNullAndInfinitiesAreOverflowLiterals() {
        assertThat(dbl(Double.NaN)).isEqualTo("null");
        assertThat(dbl(Double.POSITIVE_INFINITY)).isEqualTo("1e9999");
        assertThat(dbl(Double.NEGATIVE_INFINITY)).isEqualTo("-1e9999");
    }

    @RepeatedTest(5)
    void randomDoublesRoundTrip(RepetitionInfo info) {
        Random rnd = new Random(42L + info.getCurrentRepetition());
        for (int i = 0; i < 20_000; i++) {
            double v = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(rnd.nextLong());
                case 1 -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(40) - 20);
                case 2 -> (double) rnd.nextInt(1_000_000) / 100;
                default -> -rnd.nextGaussian() * 1e9;
            };
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                continue;
            }
            String s = dbl(v);
            assertThat(Double.parseDouble(s)).as(s).isEqualTo(v);
            assertThat(s).doesNotContain("E");
            if (s.contains("e")) {
                // Python uses exponent form only outside [1e-4, 1e16)
                assertThat(Math.abs(v) < 1e-4 || Math.abs(v) >= 1e16).as(s).isTrue();
            } else {
                assertThat(s).contains(".");
            }
        }
    }

    @Test
    void compactSeparatorsMatchPython() {
        JsonWriter w = new JsonWriter(false, true);
        w.beginArray().beginObject().name("a").beginArray().value(1).beginArray().value(2.0).nullValue().endArray()
                .endArray().name("b").beginObject().endObject().name("c").beginArray().endArray().endObject()
                .endArray();
        assertThat(w.toString()).isEqualTo("[{\"a\": [1, [2.0, null]], \"b\": {}, \"c\": []}]");
    }

    @Test
    void prettyIndentationMatchesPython() {
        JsonWriter w = new JsonWriter(true, true);
        w.beginArray().beginObject().name("a").beginArray().value(1).beginArray().value(2.0).nullValue().endArray()
                .endArray().name("b").beginObject().endObject().name("c").beginArray().endArray().endObject()
                .endArray();
        assertThat(w.toString()).isEqualTo("""
                [
                  {
                    "a": [
                      1,
                      [
                        2.0,
                        null
                      ]
                    ],
                    "b": {},
                    "c": []
                  }
                ]""");
    }

    @Test
    void stringsAreEscapedLikePythonEnsureAscii() {
        String s = "é\u2028\u007f\"\\\n\u0001😀";
        assertThat(new JsonWriter(false, true).value(s).toString())
                .isEqualTo("\"\\u00e9\\u2028\\u007f\\\"\\\\\\n\\u0001\\ud83d\\ude00\"");
    }

    @Test
    void stringsKeepUtf8WithoutEnsureAscii() {
        String s = "é\u2028\u007f\"\\\n\u0001😀";
        assertThat(new JsonWriter(false, false).value(s).toString())
                .isEqualTo("\"é\u2028\u007f\\\"\\\\\\n\\u0001😀\"");
    }

    @Test
    void growsBeyondInitialCapacity() {
        JsonWriter w = new JsonWriter(64, false, true);
        w.beginArray();
        for (int i = 0; i < 10_000; i++) {
            w.value(i);
        }
        w.endArray();
        assertThat(w.toString()).startsWith("[0, 1, 2").endsWith("9998, 9999]");
        assertThat(new JsonWriter(false, true).value(Long.MIN_VALUE).toString()).isEqualTo("-9223372036854775808");
    }
}
