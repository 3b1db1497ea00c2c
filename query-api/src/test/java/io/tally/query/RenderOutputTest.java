package io.tally.query;

import io.tally.query.expr.Series;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RenderOutputTest {
    private static final double N = Double.NaN;

    private static Series series(String name, long start, long step, double... values) {
        return Series.builder(name, start, start + values.length * step, step, values).pathExpression("a.*").build();
    }

    private static String text(Body b) {
        return new String(b.bytes(), 0, b.length(), StandardCharsets.UTF_8);
    }

    private static RenderRequest request(String format, String tz, int maxDataPoints) {
        Params p = new Params().add("target", "a.*").add("from", "0").add("until", "100").add("format", format)
                .add("maxDataPoints", Integer.toString(maxDataPoints));
        if (tz != null) {
            p.add("tz", tz);
        }
        return RenderRequest.parse(p, 1000, ZoneOffset.UTC);
    }

    @Test
    void csvRowsHaveNameLocalTimeAndValueWithEmptyNulls() {
        Body b = RenderOutput.write(List.of(series("a.b", 1700000000, 60, 1.0, N, 0.25, 1e-5)),
                request("csv", null, 0));
        assertThat(b.contentType()).isEqualTo("text/csv");
        assertThat(text(b)).isEqualTo("""
                a.b,2023-11-14 22:13:20,1.0\r
                a.b,2023-11-14 22:14:20,\r
                a.b,2023-11-14 22:15:20,0.25\r
                a.b,2023-11-14 22:16:20,1e-05\r
                """);
    }

    @Test
    void csvQuotesNamesLikePythonsCsvModule() {
        Body b = RenderOutput.write(List.of(series("sumSeries(a,\"b\")", 0, 10, 2)), request("csv", null, 0));
        assertThat(text(b)).isEqualTo("\"sumSeries(a,\"\"b\"\")\",1970-01-01 00:00:00,2.0\r\n");
    }

    @Test
    void csvFollowsTheZoneAcrossADaylightSavingChange() {
        // 2024-03-31 01:00 UTC: Berlin goes from +01:00 to +02:00
        long t = 1711846800L - 3600;
        Body b = RenderOutput.write(List.of(series("x", t, 1800, 1, 2, 3, 4)), request("csv", "Europe/Berlin", 0));
        assertThat(text(b).lines().map(l -> l.split(",")[1]).toList()).containsExactly(
                "2024-03-31 01:00:00", "2024-03-31 01:30:00", "2024-03-31 03:00:00", "2024-03-31 03:30:00");
    }

    @Test
    void dateTimeMatchesJavaTimeOverManyYears() {
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 2000; i++) {
            long t = rnd.nextLong(-5_000_000_000L, 10_000_000_000L);
            JsonWriter w = new JsonWriter(false, false);
            RenderOutput.dateTime(w, t);
            String expected = java.time.LocalDateTime.ofEpochSecond(t, 0, ZoneOffset.UTC)
                    .format(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss"));
            assertThat(w.toString()).as("t=%d", t).isEqualTo(expected);
        }
    }

    @Test
    void rawIsOneLinePerSeriesWithPythonReprAndNone() {
        Body b = RenderOutput.write(List.of(series("a.b", 100, 10, 1, N, 1e16, Double.POSITIVE_INFINITY, -0.5),
                series("a.c", 100, 10)), request("raw", null, 0));
        assertThat(b.contentType()).isEqualTo("text/plain");
        assertThat(text(b)).isEqualTo("a.b,100,150,10|1.0,None,1e+16,inf,-0.5\na.c,100,100,10|\n");
    }

    @Test
    void onlyJsonConsolidatesToMaxDataPoints() {
        Series s = series("a.b", 0, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(text(RenderOutput.write(List.of(s), request("raw", null, 2)))).endsWith("|1.0,2.0,3.0,4.0,5.0,6.0,"
                + "7.0,8.0,9.0,10.0\n");
        String json = text(RenderOutput.write(List.of(s), request("json", null, 2)));
        assertThat(json.split("\\], \\[")).hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void pickleCarriesGraphitesSeriesInfo() throws Exception {
        Series s = Series.builder("a.b", 100, 130, 10, new double[]{1.5, N, 3}).pathExpression("a.*")
                .xFilesFactor(0.5).build();
        Body b = RenderOutput.write(List.of(s), request("pickle", null, 0));
        assertThat(b.contentType()).isEqualTo("application/pickle");
        assertThat(Python.unpickleToJson(Arrays.copyOf(b.bytes(), b.length()))).isEqualTo("[{"
                + "\"consolidationFunc\": \"average\", \"end\": 130, \"name\": \"a.b\", \"pathExpression\": \"a.*\", "
                + "\"start\": 100, \"step\": 10, \"values\": [1.5, null, 3.0], \"valuesPerPoint\": 1, "
                + "\"xFilesFactor\": 0.5}]");
    }

    @Test
    void msgpackIsAListOfNineKeyMaps() {
        Body b = RenderOutput.write(List.of(series("a", 0, 1, N)), request("msgpack", null, 0));
        assertThat(b.contentType()).isEqualTo("application/x-msgpack");
        assertThat(b.bytes()[0] & 0xff).isEqualTo(0x91);
        assertThat(b.bytes()[1] & 0xff).isEqualTo(0x89);
        assertThat(text(b)).contains("consolidationFunc").contains("xFilesFactor");
    }

    @Test
    void formatChoiceFollowsGraphiteWeb() {
        assertThat(RenderFormat.of(new Params().add("rawData", "1"))).isEqualTo(RenderFormat.RAW);
        assertThat(RenderFormat.of(new Params().add("pickle", "1"))).isEqualTo(RenderFormat.PICKLE);
        assertThat(RenderFormat.of(new Params().add("format", "csv"))).isEqualTo(RenderFormat.CSV);
        assertThat(RenderFormat.of(new Params())).isEqualTo(RenderFormat.PNG);
        assertThat(RenderFormat.of(new Params().add("format", "svg"))).isEqualTo(RenderFormat.SVG);
        assertThatThrownBy(() -> RenderFormat.of(new Params().add("format", "pdf")))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("png or svg");
        assertThatThrownBy(() -> RenderFormat.of(new Params().add("format", "xml")))
                .hasMessageContaining("Unknown format 'xml'");
    }
}
