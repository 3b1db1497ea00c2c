package io.tally.query.functions;

import io.tally.query.expr.Fixture;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesStyle;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tally.query.expr.Fixture.N;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One test per Graph function: drawing options are no-ops or renames in JSON. */
class GraphFunctionsTest {
    private final Fixture f = new Fixture()
            .add("g.a", 110, 10, 1, N, 3)
            .add("g.b", 110, 10, 10, 20, 30)
            .window(100, 130);

    @Test
    void alpha() {
        assertThat(f.eval("alpha(g.a, 0.3)")).extracting(Series::name).containsExactly("g.a");
    }

    @Test
    void color() {
        assertThat(f.eval("color(g.*, 'red')")).extracting(Series::name).containsExactly("g.a", "g.b");
    }

    @Test
    void lineWidth() {
        assertThat(f.one("lineWidth(g.a, 3)").values()).containsExactly(1, N, 3);
    }

    @Test
    void dashed() {
        assertThat(f.one("dashed(g.a)").name()).isEqualTo("dashed(g.a, 5)");
        assertThat(f.one("dashed(g.a, 2.5)").name()).isEqualTo("dashed(g.a, 2.5)");
    }

    @Test
    void secondYAxis() {
        Series s = f.one("secondYAxis(g.a)");
        assertThat(s.name()).isEqualTo("secondYAxis(g.a)");
        assertThat(s.pathExpression()).isEqualTo("g.a");
    }

    @Test
    void drawAsInfinite() {
        assertThat(f.one("drawAsInfinite(g.a)").name()).isEqualTo("drawAsInfinite(g.a)");
    }

    @Test
    void stacked() {
        List<Series> out = f.eval("stacked(g.*)");
        assertThat(out).extracting(Series::name).containsExactly("stacked(g.a)", "stacked(g.b)");
        assertThat(out.get(1).values()).containsExactly(11, 20, 33);
        List<Series> two = f.eval("group(stacked(g.a, 'x'), stacked(g.b, 'x'))");
        assertThat(two).extracting(Series::name).containsExactly("g.a", "g.b");
        assertThat(two.get(1).values()).containsExactly(11, 20, 33);
    }

    @Test
    void areaBetween() {
        assertThat(f.eval("areaBetween(g.*)")).extracting(Series::name).containsExactly("areaBetween(g.*)",
                "areaBetween(g.*)");
        assertThatThrownBy(() -> f.eval("areaBetween(g.a)")).hasMessageContaining("exactly 2 series");
    }

    @Test
    void threshold() {
        Series s = f.one("threshold(5, 'limit', 'red')");
        assertThat(s.name()).isEqualTo("limit");
        assertThat(s.values()).containsExactly(5, 5, 5);
        assertThat(f.one("threshold(5)").name()).isEqualTo("5.0");
    }

    @Test
    void verticalLine() {
        Series s = f.one("verticalLine(120, 'deploy')");
        assertThat(s.name()).isEqualTo("deploy");
        assertThat(s.start()).isEqualTo(120);
        assertThat(s.outputCount()).isEqualTo(1);
        assertThatThrownBy(() -> f.eval("verticalLine(90)")).hasMessageContaining("before start of range");
    }

    @Test
    void drawingOptionsGoToTheStyleAndLeaveValuesAlone() {
        Series s = f.one("lineWidth(alpha(color(g.a, 'red'), 0.5), 3)");
        assertThat(s.name()).isEqualTo("g.a");
        assertThat(s.values()).containsExactly(1, N, 3);
        assertThat(s.style().color()).isEqualTo("red");
        assertThat(s.style().alpha()).isEqualTo(0.5);
        assertThat(s.style().lineWidth()).isEqualTo(3);
        assertThat(f.one("g.a").style()).isEqualTo(SeriesStyle.DEFAULT);
    }

    @Test
    void styleSurvivesLaterTransformsThatCopyTheSeries() {
        Series s = f.one("alias(scale(secondYAxis(color(g.a, 'blue')), 2), 'x')");
        assertThat(s.values()).containsExactly(2, N, 6);
        assertThat(s.style().color()).isEqualTo("blue");
        assertThat(s.style().secondYAxis()).isTrue();
    }

    @Test
    void renamingDrawingFunctionsSetTheirOptions() {
        assertThat(f.one("dashed(g.a, 2.5)").style().dashLength()).isEqualTo(2.5);
        assertThat(f.one("drawAsInfinite(g.a)").style().drawAsInfinite()).isTrue();
        assertThat(f.eval("stacked(g.*)")).allMatch(x -> x.style().stacked());
        assertThat(f.eval("areaBetween(g.*)")).extracting(x -> x.style().band())
                .containsExactly(SeriesStyle.Band.LOWER, SeriesStyle.Band.UPPER);
        assertThat(f.one("threshold(5, 'limit', 'red')").style().color()).isEqualTo("red");
        assertThat(f.one("verticalLine(120, 'deploy', 'blue')").style())
                .satisfies(st -> assertThat(st.drawAsInfinite()).isTrue())
                .satisfies(st -> assertThat(st.color()).isEqualTo("blue"));
    }
}
