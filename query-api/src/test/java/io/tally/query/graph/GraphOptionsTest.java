package io.tally.query.graph;

import io.tally.query.BadRequestException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static io.tally.query.graph.Pictures.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Picture parameters: graphite-web's defaults, and a 400 naming the parameter for values that cannot be used. */
class GraphOptionsTest {
    @Test
    void defaultsAreGraphiteWebs() {
        GraphOptions o = GraphOptions.defaults();
        assertThat(o.width()).isEqualTo(330);
        assertThat(o.height()).isEqualTo(250);
        assertThat(o.background).isEqualTo(Rgb.BLACK);
        assertThat(o.foreground).isEqualTo(Rgb.WHITE);
        assertThat(o.colorList.get(0)).isEqualTo(Rgb.parse("blue"));
        assertThat(o.lineWidth).isEqualTo(1.2);
        assertThat(o.hideLegend).isNull();
    }

    @Test
    void valuesAreRead() {
        GraphOptions o = options("width", "800", "height", "600", "colorList", "red,#0000ff,00ff0080",
                "lineMode", "Staircase", "areaMode", "stacked", "hideLegend", "false", "yMin", "0", "yMax", "10",
                "logBase", "e", "graphOnly", "1");
        assertThat(o.width()).isEqualTo(800);
        assertThat(o.colorList).hasSize(3);
        assertThat(o.lineMode).isEqualTo(GraphOptions.LineMode.STAIRCASE);
        assertThat(o.areaMode).isEqualTo(GraphOptions.AreaMode.STACKED);
        assertThat(o.yMaxLeft).isEqualTo(10);
        assertThat(o.yMaxRight).isEqualTo(10);
        assertThat(o.logBase).isEqualTo(Math.E);
        assertThat(o.hideLegend).isTrue(); // graphOnly wins
    }

    @Test
    void coloursParse() {
        assertThat(Rgb.parse("#ff8000")).isEqualTo(new Rgb(255, 128, 0, 255));
        assertThat(Rgb.parse("FF800080")).isEqualTo(new Rgb(255, 128, 0, 128));
        assertThat(Rgb.parse("rose")).isEqualTo(new Rgb(200, 150, 200, 255));
        assertThat(Rgb.parse("nope")).isNull();
        assertThat(Rgb.parse("#12345")).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "width|abc", "width|0", "width|5000", "height|-3", "height|2.5", "lineMode|zigzag", "areaMode|some",
            "colorList|red,notacolour", "bgcolor|zzz", "fgcolor|12", "areaAlpha|2", "lineWidth|x", "logBase|1",
            "hideLegend|maybe", "fontSize|0", "yUnitSystem|imperial", "connectedLimit|0", "yStep|-1", "margin|x"})
    void badValuesNameTheParameter(String name, String value) {
        assertThatThrownBy(() -> options(name, value)).isInstanceOf(BadRequestException.class)
                .hasMessageContaining(name);
    }

    @Test
    void hugePicturesAreRefused() {
        assertThatThrownBy(() -> options("width", "4000", "height", "4000")).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("pixels");
        assertThat(options("width", "4000", "height", "1000").width()).isEqualTo(4000);
    }

    @Test
    void boundsMustBeOrdered() {
        assertThatThrownBy(() -> options("yMin", "5", "yMax", "5")).hasMessageContaining("yMin");
    }

    @Test
    void cacheKeyCarriesEveryGivenPictureParameter() {
        assertThat(options("width", "400").cacheKey()).isNotEqualTo(options("width", "500").cacheKey());
        assertThat(options("width", "400", "unknown", "x").cacheKey()).isEqualTo(options("width", "400").cacheKey());
    }
}
