package io.tally.query.functions;

import io.tally.query.expr.Fixture;
import io.tally.query.expr.Series;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tally.query.expr.Fixture.N;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One test per Filter Series and Filter Data function. */
class FilterFunctionsTest {
    private final Fixture f = new Fixture()
            .add("h.a", 110, 10, 1, 9, 5)
            .add("h.b", 110, 10, 4, 4, 4)
            .add("h.c", 110, 10, 8, 2, 2)
            .add("h.n", 110, 10, N, N, N)
            .window(100, 130);

    private List<String> names(String target) {
        return f.eval(target).stream().map(Series::name).toList();
    }

    @Test
    void filterSeries() {
        assertThat(names("filterSeries(h.*, 'max', '>=', 8)")).containsExactly("h.a", "h.c");
        assertThat(names("filterSeries(h.*, 'last', '!=', 4)")).containsExactly("h.a", "h.c", "h.n");
        assertThat(names("filterSeries(h.*, 'count', '=', 0)")).containsExactly("h.n");
        assertThatThrownBy(() -> f.eval("filterSeries(h.*, 'max', '<>', 8)")).hasMessageContaining("operator");
    }

    @Test
    void maximumAbove() {
        assertThat(names("maximumAbove(h.*, 5)")).containsExactly("h.a", "h.c");
    }

    @Test
    void minimumAbove() {
        assertThat(names("minimumAbove(h.*, 1)")).containsExactly("h.b", "h.c");
    }

    @Test
    void maximumBelow() {
        assertThat(names("maximumBelow(h.*, 8)")).containsExactly("h.b", "h.c", "h.n");
    }

    @Test
    void minimumBelow() {
        assertThat(names("minimumBelow(h.*, 2)")).containsExactly("h.a", "h.c", "h.n");
    }

    @Test
    void currentAbove() {
        assertThat(names("currentAbove(h.*, 3)")).containsExactly("h.a", "h.b");
    }

    @Test
    void currentBelow() {
        // a series without values passes the Below filters, as in graphite
        assertThat(names("currentBelow(h.*, 4)")).containsExactly("h.b", "h.c", "h.n");
    }

    @Test
    void averageAbove() {
        assertThat(names("averageAbove(h.*, 4)")).containsExactly("h.a");
    }

    @Test
    void averageBelow() {
        assertThat(names("averageBelow(h.*, 4)")).containsExactly("h.b", "h.c", "h.n");
    }

    @Test
    void highest() {
        // ties keep their order (h.b and h.c both sum to 12)
        assertThat(names("highest(h.*, 2, 'sum')")).containsExactly("h.a", "h.b");
        assertThat(names("highest(h.*)")).containsExactly("h.a");
    }

    @Test
    void lowest() {
        assertThat(names("lowest(h.*, 2, 'max')")).containsExactly("h.n", "h.b");
    }

    @Test
    void highestCurrent() {
        assertThat(names("highestCurrent(h.*, 2)")).containsExactly("h.a", "h.b");
    }

    @Test
    void highestMax() {
        assertThat(names("highestMax(h.*, 1)")).containsExactly("h.a");
    }

    @Test
    void highestAverage() {
        assertThat(names("highestAverage(h.*, 3)")).containsExactly("h.a", "h.b", "h.c");
    }

    @Test
    void lowestCurrent() {
        assertThat(names("lowestCurrent(h.*, 2)")).containsExactly("h.n", "h.c");
    }

    @Test
    void lowestAverage() {
        assertThat(names("lowestAverage(h.*, 3)")).containsExactly("h.n", "h.b", "h.c");
    }

    @Test
    void limit() {
        assertThat(names("limit(h.*, 2)")).containsExactly("h.a", "h.b");
        assertThat(names("limit(h.*, -1)")).containsExactly("h.a", "h.b", "h.c");
    }

    @Test
    void mostDeviant() {
        assertThat(names("mostDeviant(h.*, 2)")).containsExactly("h.a", "h.c");
    }

    @Test
    void exclude() {
        assertThat(names("exclude(h.*, '[ab]$')")).containsExactly("h.c", "h.n");
    }

    @Test
    void grep() {
        assertThat(names("grep(h.*, '[ab]$')")).containsExactly("h.a", "h.b");
        assertThatThrownBy(() -> f.eval("grep(h.*, '(')")).hasMessageContaining("invalid regular expression");
    }

    @Test
    void removeEmptySeries() {
        Fixture g = new Fixture().add("e.full", 110, 10, 1, 2, 3).add("e.third", 110, 10, 1, N, N)
                .add("e.none", 110, 10, N, N, N).window(100, 130);
        assertThat(g.eval("removeEmptySeries(e.*)")).extracting(Series::name).containsExactly("e.full", "e.third");
        assertThat(g.eval("removeEmptySeries(e.*, 0.5)")).extracting(Series::name).containsExactly("e.full");
        // the factor is not read when no series has values, as in graphite-web
        assertThat(g.eval("removeEmptySeries(e.none, e.full)")).isEmpty();
    }

    @Test
    void unique() {
        assertThat(names("unique(h.a, h.*, h.a)")).containsExactly("h.a", "h.b", "h.c", "h.n");
    }

    @Test
    void useSeriesAbove() {
        Fixture g = new Fixture().add("u.reqs", 110, 10, 20).add("u.time", 110, 10, 7).add("v.reqs", 110, 10, 1)
                .add("v.time", 110, 10, 8).window(100, 110);
        assertThat(g.eval("useSeriesAbove(*.reqs, 10, 'reqs', 'time')")).extracting(Series::name)
                .containsExactly("u.time");
    }

    @Test
    void averageOutsidePercentile() {
        // averages 5, 4, 4: the 30th and 70th percentiles are 4 and 5, so none lies strictly between them
        assertThat(names("averageOutsidePercentile(group(h.a, h.b, h.c), 70)")).containsExactly("h.a", "h.b",
                "h.c");
        Fixture g = new Fixture().add("p.a", 110, 10, 1).add("p.b", 110, 10, 2).add("p.c", 110, 10, 3)
                .add("p.d", 110, 10, 4).add("p.e", 110, 10, 5).window(100, 110);
        assertThat(g.eval("averageOutsidePercentile(p.*, 80)")).extracting(Series::name)
                .containsExactly("p.a", "p.b", "p.e");
    }

    @Test
    void removeBetweenPercentile() {
        assertThat(names("removeBetweenPercentile(group(h.a, h.b, h.c), 70)")).containsExactly("h.a", "h.b",
                "h.c");
        Fixture g = new Fixture().add("p.a", 110, 10, 1).add("p.b", 110, 10, 2).add("p.c", 110, 10, 3)
                .add("p.d", 110, 10, 4).add("p.e", 110, 10, 5).window(100, 110);
        assertThat(g.eval("removeBetweenPercentile(p.*, 80)")).extracting(Series::name)
                .containsExactly("p.a", "p.b", "p.e");
    }

    @Test
    void removeAboveValue() {
        Series s = f.one("removeAboveValue(h.a, 5)");
        assertThat(s.name()).isEqualTo("removeAboveValue(h.a, 5)");
        assertThat(s.values()).containsExactly(1, N, 5);
    }

    @Test
    void removeBelowValue() {
        assertThat(f.one("removeBelowValue(h.a, 5)").values()).containsExactly(N, 9, 5);
    }

    @Test
    void removeAbovePercentile() {
        Series s = f.one("removeAbovePercentile(h.a, 50)");
        assertThat(s.name()).isEqualTo("removeAbovePercentile(h.a, 50)");
        assertThat(s.values()).containsExactly(1, N, 5);
    }

    @Test
    void removeBelowPercentile() {
        assertThat(f.one("removeBelowPercentile(h.a, 50)").values()).containsExactly(N, 9, 5);
    }
}
