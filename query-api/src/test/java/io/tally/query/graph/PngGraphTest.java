package io.tally.query.graph;

import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesStyle;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;

import static io.tally.query.graph.Pictures.bounds;
import static io.tally.query.graph.Pictures.constant;
import static io.tally.query.graph.Pictures.count;
import static io.tally.query.graph.Pictures.countInColumn;
import static io.tally.query.graph.Pictures.png;
import static io.tally.query.graph.Pictures.series;
import static org.assertj.core.api.Assertions.assertThat;

/** PNG pictures, checked by decoding them and looking at pixels. */
class PngGraphTest {
    private static final int RED = 0xFF0000;
    private static final int BLUE = 0x0000FF;
    private static final int GREEN = 0x00FF00;

    private static List<Series> ramp() {
        double[] v = new double[100];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 10;
        }
        return List.of(series("a.b", v));
    }

    @Test
    void decodesWithTheRequestedSize() {
        BufferedImage img = png(ramp(), "width", "500", "height", "300");
        assertThat(img.getWidth()).isEqualTo(500);
        assertThat(img.getHeight()).isEqualTo(300);
        BufferedImage dflt = png(ramp());
        assertThat(dflt.getWidth()).isEqualTo(330);
        assertThat(dflt.getHeight()).isEqualTo(250);
    }

    @Test
    void plotShowsTheColourListColour() {
        BufferedImage img = png(List.of(series("a", constant(60, 5))), "colorList", "ff0000,0000ff",
                "areaMode", "all");
        assertThat(count(img, RED)).isGreaterThan(1000);
        assertThat(count(img, BLUE)).isZero();
    }

    @Test
    void thickLinesCarryTheirColour() {
        BufferedImage img = png(ramp(), "colorList", "ff0000", "lineWidth", "4");
        assertThat(count(img, RED)).isGreaterThan(100);
    }

    @Test
    void colorFunctionOverridesTheColourList() {
        Series s = series("a", constant(60, 5));
        BufferedImage img = png(List.of(s.withStyle(s.style().withColor("00ff00"))), "colorList", "ff0000",
                "areaMode", "all");
        assertThat(count(img, GREEN)).isGreaterThan(1000);
        assertThat(count(img, RED)).isZero();
    }

    @Test
    void backgroundColourIsHonoured() {
        BufferedImage img = png(ramp(), "bgcolor", "336699");
        assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x336699);
        assertThat(img.getRGB(329, 249) & 0xFFFFFF).isEqualTo(0x336699);
        assertThat(png(ramp(), "bgcolor", "white").getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }

    @Test
    void hidingTheLegendMakesThePlotTaller() {
        // a constant area fills the plot from its bottom to its top: the middle column measures the plot height
        List<Series> one = List.of(series("a.very.long.series.name", constant(60, 5)));
        BufferedImage withLegend = png(one, "colorList", "ff0000", "areaMode", "all");
        BufferedImage noLegend = png(one, "colorList", "ff0000", "areaMode", "all", "hideLegend", "true");
        BufferedImage graphOnly = png(one, "colorList", "ff0000", "areaMode", "all", "graphOnly", "true");
        assertThat(countInColumn(noLegend, 165, RED)).isGreaterThan(countInColumn(withLegend, 165, RED) + 5);
        assertThat(countInColumn(graphOnly, 165, RED)).isGreaterThan(countInColumn(noLegend, 165, RED) + 5);
        int[] plain = bounds(noLegend, RED);
        int[] only = bounds(graphOnly, RED);
        assertThat(only[2] - only[0]).isGreaterThan(plain[2] - plain[0]); // no value labels either
    }

    @Test
    void legendSwatchIsDrawnBelowThePlot() {
        List<Series> one = List.of(series("a", constant(60, 5)));
        BufferedImage shown = png(one, "colorList", "ff0000", "lineWidth", "4");
        BufferedImage hidden = png(one, "colorList", "ff0000", "lineWidth", "4", "hideLegend", "1");
        assertThat(bounds(shown, RED)[3]).isGreaterThan(bounds(hidden, RED)[3]);
    }

    @Test
    void nullsLeaveGapsOfBackground() {
        double[] v = constant(100, 5);
        for (int i = 40; i < 60; i++) {
            v[i] = Double.NaN;
        }
        BufferedImage img = png(List.of(series("a", v)), "colorList", "ff0000", "areaMode", "all",
                "hideLegend", "true");
        int[] b = bounds(img, RED);
        int middle = (b[0] + b[2]) / 2;
        assertThat(countInColumn(img, middle, RED)).isZero();
        assertThat(countInColumn(img, b[0] + (b[2] - b[0]) / 5, RED)).isGreaterThan(10);
        BufferedImage asZero = png(List.of(series("a", v)), "colorList", "ff0000", "lineWidth", "4",
                "hideLegend", "true", "drawNullAsZero", "true", "yMin", "0");
        assertThat(countInColumn(asZero, middle, RED)).isGreaterThan(0);
    }

    @Test
    void stackedAreasFillOnTopOfEachOther() {
        List<Series> two = List.of(series("a", constant(60, 2)), series("b", constant(60, 3)));
        BufferedImage img = png(two, "colorList", "ff0000,0000ff", "areaMode", "stacked", "hideLegend", "true");
        int[] red = bounds(img, RED);
        int[] blue = bounds(img, BLUE);
        assertThat(red).isNotNull();
        assertThat(blue).isNotNull();
        assertThat(blue[1]).isLessThan(red[1]); // blue sits on top of red
        assertThat(blue[3]).isLessThanOrEqualTo(red[1] + 1);
        // red covers 2 of the 5 units, blue 3: blue's band is taller
        assertThat(blue[3] - blue[1]).isGreaterThan(red[3] - red[1]);
    }

    @Test
    void stackedFunctionSeriesFillDownToThePreviousOne() {
        Series a = series("a", constant(60, 2));
        Series b = series("b", constant(60, 5)); // already a running total, as stacked() leaves it
        List<Series> two = List.of(a.withStyle(a.style().withStacked()), b.withStyle(b.style().withStacked()));
        BufferedImage img = png(two, "colorList", "ff0000,0000ff", "hideLegend", "true");
        int[] red = bounds(img, RED);
        int[] blue = bounds(img, BLUE);
        assertThat(blue[3]).isLessThanOrEqualTo(red[1] + 1);
    }

    @Test
    void secondYAxisMakesRoomForARightAxis() {
        Series a = series("a", constant(60, 5));
        Series b = series("b", constant(60, 50));
        BufferedImage oneAxis = png(List.of(a, b), "colorList", "ff0000,0000ff", "areaMode", "first",
                "hideLegend", "true");
        BufferedImage twoAxes = png(List.of(a, b.withStyle(b.style().withSecondYAxis())),
                "colorList", "ff0000,0000ff", "areaMode", "first", "hideLegend", "true");
        assertThat(bounds(twoAxes, RED)[2]).isLessThan(bounds(oneAxis, RED)[2] - 10);
        // on its own axis the small series fills the plot instead of hugging the bottom
        assertThat(bounds(twoAxes, RED)[3] - bounds(twoAxes, RED)[1])
                .isGreaterThan(bounds(oneAxis, RED)[3] - bounds(oneAxis, RED)[1]);
    }

    @Test
    void areaBetweenFillsTheBand() {
        Series lower = series("lo", constant(60, 2));
        Series upper = series("hi", constant(60, 8));
        List<Series> band = List.of(lower.withStyle(SeriesStyle.DEFAULT.withBand(SeriesStyle.Band.LOWER)
                .withColor("ff0000")), upper.withStyle(SeriesStyle.DEFAULT.withBand(SeriesStyle.Band.UPPER)
                .withColor("ff0000")));
        BufferedImage img = png(band, "hideLegend", "true", "yMin", "0", "yMax", "10");
        int[] b = bounds(img, RED);
        int plotHeightGuess = 250 - 20 - 18 - 6; // margins, time labels, top half-label
        assertThat(b[3] - b[1]).isBetween(plotHeightGuess * 5 / 10, plotHeightGuess * 7 / 10);
    }

    @Test
    void drawAsInfiniteDrawsFullHeightLines() {
        double[] v = constant(60, 0);
        v[30] = 1;
        Series s = series("deploy", v);
        BufferedImage img = png(List.of(s.withStyle(s.style().withDrawAsInfinite().withColor("ff0000")
                .withLineWidth(3))), "hideLegend", "true");
        int[] b = bounds(img, RED);
        assertThat(b[3] - b[1]).isGreaterThan(150);
        assertThat(b[2] - b[0]).isLessThan(6);
    }

    @Test
    void aLoneVerticalLineIsPlacedInTheRequestedRange() throws Exception {
        Series line = Series.builder("deploy", 1800, 1800, 1, new double[]{1, 1})
                .style(SeriesStyle.DEFAULT.withDrawAsInfinite().withColor("ff0000").withLineWidth(3)).build();
        byte[] png = GraphRenderer.png(List.of(line), Pictures.options("hideLegend", "true"), 0, 3600,
                java.time.ZoneOffset.UTC);
        int[] b = bounds(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png)), RED);
        assertThat((b[0] + b[2]) / 2).isBetween(150, 200); // the middle of the plot, not its left edge
    }

    @Test
    void noSeriesDrawsAPictureAnyway() {
        BufferedImage img = png(List.of(), "bgcolor", "white", "fgcolor", "black");
        assertThat(img.getWidth()).isEqualTo(330);
        assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        if (PngCanvas.TEXT) {
            assertThat(count(img, 0xFFFFFF)).isLessThan(330 * 250); // "No Data"
        }
    }

    @Test
    void manySeriesAreConsolidatedAndDrawn() {
        java.util.Random random = new java.util.Random(42);
        List<Series> many = new java.util.ArrayList<>();
        for (int k = 0; k < 20; k++) {
            double[] v = new double[2000];
            for (int i = 0; i < v.length; i++) {
                v[i] = random.nextInt(10) == 0 ? Double.NaN : random.nextGaussian() * 10 + k * 5;
            }
            many.add(series("s" + k, v));
        }
        BufferedImage img = png(many, "lineMode", "staircase");
        assertThat(img.getWidth()).isEqualTo(330);
        assertThat(png(many, "lineMode", "connected", "connectedLimit", "3", "logBase", "10").getHeight())
                .isEqualTo(250);
    }
}
