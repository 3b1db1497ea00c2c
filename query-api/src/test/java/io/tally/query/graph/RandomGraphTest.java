package io.tally.query.graph;

import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesStyle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: any mix of valid picture parameters, drawing options and data (nulls, infinities, constants, huge and
 * tiny values, misaligned series) draws a PNG of the requested size and a well-formed SVG.
 */
class RandomGraphTest {
    private static final String[][] CHOICES = {
            {"lineMode", "slope", "staircase", "connected"},
            {"areaMode", "none", "first", "all", "stacked"},
            {"yUnitSystem", "si", "binary", "none"},
            {"logBase", "", "10", "2", "e"},
            {"hideLegend", "true", "false"},
            {"hideAxes", "true", "false"},
            {"hideGrid", "true", "false"},
            {"graphOnly", "false", "false", "true"},
            {"drawNullAsZero", "true", "false"},
            {"uniqueLegend", "true", "false"},
            {"fontBold", "true", "false"},
            {"title", "", "t", "<&>\"'"},
            {"vtitle", "", "v"},
            {"vtitleRight", "", "r"},
            {"bgcolor", "black", "white", "123456"},
            {"areaAlpha", "", "0", "0.5", "1"},
            {"connectedLimit", "", "1", "5"},
            {"fontSize", "1", "8", "10", "30"},
            {"margin", "0", "10", "40"},
            {"yMin", "", "-5", "0"},
            {"yMax", "", "100", "1e12"},
            {"yStep", "", "1e-9", "7"},
    };

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void anyValidMixDraws(int seed) throws Exception {
        Random r = new Random(seed);
        List<String> pairs = new ArrayList<>(List.of("width", Integer.toString(20 + r.nextInt(900)),
                "height", Integer.toString(20 + r.nextInt(600))));
        for (String[] choice : CHOICES) {
            if (r.nextBoolean()) {
                pairs.add(choice[0]);
                pairs.add(choice[1 + r.nextInt(choice.length - 1)]);
            }
        }
        int yMin = pairs.indexOf("yMin");
        int yMax = pairs.indexOf("yMax");
        if (yMin >= 0 && yMax >= 0 && !pairs.get(yMin + 1).isEmpty() && pairs.get(yMax + 1).isEmpty()) {
            pairs.set(yMin + 1, ""); // keep yMin < yMax: a fixed minimum alone is fine
        }
        String[] params = pairs.toArray(String[]::new);
        List<Series> series = randomSeries(r);
        GraphOptions o = Pictures.options(params);
        ZoneId zone = ZoneId.of(r.nextBoolean() ? "UTC" : "America/New_York");
        byte[] png = GraphRenderer.png(series, o, 0, 86_400, zone);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img.getWidth()).isEqualTo(o.width());
        assertThat(img.getHeight()).isEqualTo(o.height());
        byte[] svg = GraphRenderer.svg(series, o, 0, 86_400, zone);
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg));
        assertThat(doc.getDocumentElement().getAttribute("width")).isEqualTo(Integer.toString(o.width()));
        assertThat(new String(svg, StandardCharsets.UTF_8)).doesNotContain("NaN").doesNotContain("Infinity");
    }

    private static List<Series> randomSeries(Random r) {
        List<Series> out = new ArrayList<>();
        int count = r.nextInt(14);
        for (int k = 0; k < count; k++) {
            long step = new long[]{1, 10, 60, 600}[r.nextInt(4)];
            int n = r.nextInt(3000);
            long start = r.nextInt(3600);
            double scale = Math.pow(10, r.nextInt(30) - 10);
            double[] v = new double[n];
            int shape = r.nextInt(5);
            for (int i = 0; i < n; i++) {
                v[i] = switch (shape) {
                    case 0 -> Double.NaN;
                    case 1 -> 42;
                    case 2 -> r.nextInt(20) == 0 ? Double.POSITIVE_INFINITY : r.nextGaussian() * scale;
                    default -> r.nextInt(7) == 0 ? Double.NaN : (r.nextDouble() - 0.3) * scale;
                };
            }
            SeriesStyle style = SeriesStyle.DEFAULT;
            switch (r.nextInt(8)) {
                case 0 -> style = style.withSecondYAxis();
                case 1 -> style = style.withStacked();
                case 2 -> style = style.withDrawAsInfinite();
                case 3 -> style = style.withColor("darkred").withAlpha(0.5).withDashLength(3).withLineWidth(0.5);
                case 4 -> style = style.withBand(r.nextBoolean() ? SeriesStyle.Band.LOWER : SeriesStyle.Band.UPPER);
                default -> {
                }
            }
            out.add(Series.builder("s" + k + (r.nextBoolean() ? "<&>" : ""), start, start + n * step, step, v)
                    .style(style).build());
        }
        return out;
    }
}
