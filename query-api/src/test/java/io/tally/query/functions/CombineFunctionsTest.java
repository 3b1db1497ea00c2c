package io.tally.query.functions;

import io.tally.query.expr.Fixture;
import io.tally.query.expr.Series;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tally.query.expr.Fixture.N;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** One test per Combine function, over a small fixture (points at 110..160, step 10). */
class CombineFunctionsTest {
    private final Fixture f = new Fixture()
            .add("s.a", 110, 10, 1, 2, N, 4, 5, 6)
            .add("s.b", 110, 10, 2, N, N, 8, 10, 12)
            .add("s.c", 110, 10, 3, 3, 3, 3, 3, 3)
            .add("t.a", 110, 10, 4, 4, 4, 4, 4, 4)
            .add("t.b", 110, 10, 2, 2, 2, 2, 2, 2);

    private static double[] v(Series s) {
        return s.values();
    }

    @Test
    void sumSeries() {
        Series s = f.one("sumSeries(s.*)");
        assertThat(s.name()).isEqualTo("sumSeries(s.*)");
        assertThat(v(s)).containsExactly(6, 5, 3, 15, 18, 21);
        assertThat(s.tags()).containsEntry("aggregatedBy", "sum").containsEntry("name", "sumSeries(s.*)");
        assertThat(f.one("sum(s.a, s.b)").name()).isEqualTo("sumSeries(s.a,s.b)");
        assertThat(f.eval("sumSeries(nothing.*)")).isEmpty();
    }

    @Test
    void averageSeries() {
        Series s = f.one("avg(s.a, s.b)");
        assertThat(s.name()).isEqualTo("averageSeries(s.a,s.b)");
        assertThat(v(s)).containsExactly(1.5, 2, N, 6, 7.5, 9);
    }

    @Test
    void minSeries() {
        assertThat(v(f.one("minSeries(s.*)"))).containsExactly(1, 2, 3, 3, 3, 3);
    }

    @Test
    void maxSeries() {
        assertThat(v(f.one("maxSeries(s.*)"))).containsExactly(3, 3, 3, 8, 10, 12);
    }

    @Test
    void diffSeries() {
        assertThat(v(f.one("diffSeries(s.a, s.b)"))).containsExactly(-1, 2, N, -4, -5, -6);
        // a null first series makes the second one the minuend
        assertThat(v(f.one("diffSeries(s.b, s.a)"))[1]).isEqualTo(2);
    }

    @Test
    void stddevSeries() {
        assertThat(v(f.one("stddevSeries(s.a, s.c)"))).containsExactly(1, 0.5, 0, 0.5, 1, 1.5);
    }

    @Test
    void rangeOfSeries() {
        Series s = f.one("rangeOfSeries(s.*)");
        assertThat(s.name()).isEqualTo("rangeOfSeries(s.*)");
        assertThat(v(s)).containsExactly(2, 1, 0, 5, 7, 9);
    }

    @Test
    void multiplySeries() {
        assertThat(v(f.one("multiplySeries(s.a, s.c)"))).containsExactly(3, 6, N, 12, 15, 18);
        assertThat(f.one("multiplySeries(s.a)").name()).isEqualTo("s.a");
    }

    @Test
    void countSeries() {
        assertThat(v(f.one("countSeries(s.*)"))).containsExactly(3, 3, 3, 3, 3, 3);
        Series zero = f.one("countSeries()");
        assertThat(zero.name()).isEqualTo("0");
        assertThat(v(zero)).containsExactly(0, 0, 0);
        assertThat(f.eval("countSeries(nothing.*)")).isEmpty();
    }

    @Test
    void aggregate() {
        assertThat(f.one("aggregate(s.*, 'avg')").name()).isEqualTo("avgSeries(s.*)");
        assertThat(f.one("aggregate(s.*, 'maxSeries')").name()).isEqualTo("maxSeries(s.*)");
        assertThat(v(f.one("aggregate(s.*, 'sum', 0.7)"))).containsExactly(6, N, N, 15, 18, 21);
        assertThat(v(f.one("aggregate(s.*, 'count')"))).containsExactly(3, 2, 1, 3, 3, 3);
        assertThatThrownBy(() -> f.eval("aggregate(s.*, 'foo')")).hasMessageContaining("unsupported aggregation");
    }

    @Test
    void aggregateWithWildcards() {
        List<Series> out = f.eval("aggregateWithWildcards(group(s.*, t.*), 'max', 0)");
        assertThat(out).extracting(Series::name).containsExactly("a", "b", "c");
        assertThat(v(out.get(0))).containsExactly(4, 4, 4, 4, 5, 6);
    }

    @Test
    void sumSeriesWithWildcards() {
        Series s = f.one("sumSeriesWithWildcards(s.*, 1)");
        assertThat(s.name()).isEqualTo("s");
        assertThat(s.pathExpression()).isEqualTo("sumSeries(s.*)");
        assertThat(v(s)).containsExactly(6, 5, 3, 15, 18, 21);
    }

    @Test
    void averageSeriesWithWildcards() {
        assertThat(f.eval("averageSeriesWithWildcards(group(s.a, t.a), 0)")).extracting(Series::name)
                .containsExactly("a");
        assertThat(v(f.one("averageSeriesWithWildcards(group(s.a, t.a), 0)"))).startsWith(2.5, 3);
    }

    @Test
    void multiplySeriesWithWildcards() {
        assertThat(v(f.one("multiplySeriesWithWildcards(group(s.a, t.a), 0)"))).startsWith(4, 8, N);
    }

    @Test
    void aggregateSeriesLists() {
        List<Series> out = f.eval("aggregateSeriesLists(s.{a,b}, t.*, 'max')");
        assertThat(out).extracting(Series::name).containsExactly("maxSeries(s.a,t.a)", "maxSeries(s.b,t.b)");
        assertThat(v(out.get(1))).containsExactly(2, 2, 2, 8, 10, 12);
        assertThatThrownBy(() -> f.eval("aggregateSeriesLists(s.*, t.*, 'sum')")).hasMessageContaining("equal length");
    }

    @Test
    void sumSeriesLists() {
        assertThat(v(f.eval("sumSeriesLists(s.{a,b}, t.*)").get(0))).containsExactly(5, 6, 4, 8, 9, 10);
    }

    @Test
    void diffSeriesLists() {
        assertThat(f.eval("diffSeriesLists(s.{a,b}, t.*)").get(1).name()).isEqualTo("diffSeries(s.b,t.b)");
    }

    @Test
    void multiplySeriesLists() {
        assertThat(v(f.eval("multiplySeriesLists(s.{a,b}, t.*)").get(0))).containsExactly(4, 8, N, 16, 20, 24);
    }

    @Test
    void asPercent() {
        Series bySeries = f.one("asPercent(s.a, t.a)");
        assertThat(bySeries.name()).isEqualTo("asPercent(s.a,t.a)");
        assertThat(v(bySeries)).containsExactly(25, 50, N, 100, 125, 150);
        assertThat(f.one("asPercent(s.a, 2)").name()).isEqualTo("asPercent(s.a,2)");
        assertThat(v(f.one("asPercent(s.a, 2)"))).containsExactly(50, 100, N, 200, 250, 300);
        List<Series> ofTotal = f.eval("pct(s.{a,c})");
        assertThat(ofTotal.get(0).name()).isEqualTo("asPercent(s.a,sumSeries(s.{a,c}))");
        assertThat(v(ofTotal.get(0))[0]).isEqualTo(25);
        List<Series> byNode = f.eval("asPercent(s.{a,c}, t.*, 1)");
        assertThat(byNode).extracting(Series::name)
                .containsExactly("asPercent(s.a,t.a)", "asPercent(s.c,MISSING)", "asPercent(MISSING,t.b)");
        assertThat(v(byNode.get(2))).containsOnly(N);
    }

    @Test
    void divideSeries() {
        Series q = f.one("divideSeries(s.a, t.b)");
        assertThat(q.name()).isEqualTo("divideSeries(s.a,t.b)");
        assertThat(v(q)).containsExactly(0.5, 1, N, 2, 2.5, 3);
        assertThat(f.one("divideSeries(s.a, nothing)").name()).isEqualTo("divideSeries(s.a,MISSING)");
        assertThatThrownBy(() -> f.eval("divideSeries(s.a, t.*)")).hasMessageContaining("exactly 1 series (got 2)");
    }

    @Test
    void divideSeriesLists() {
        assertThat(f.eval("divideSeriesLists(s.{a,b}, t.*)")).extracting(Series::name)
                .containsExactly("divideSeries(s.a,t.a)", "divideSeries(s.b,t.b)");
    }

    @Test
    void group() {
        assertThat(f.eval("group(t.b, s.a)")).extracting(Series::name).containsExactly("t.b", "s.a");
    }

    @Test
    void groupByNode() {
        List<Series> out = f.eval("groupByNode(group(s.*, t.*), 1, 'sum')");
        assertThat(out).extracting(Series::name).containsExactly("a", "b", "c");
        assertThat(v(out.get(0))).containsExactly(5, 6, 4, 8, 9, 10);
        assertThat(f.eval("groupByNode(s.*, 0)")).extracting(Series::name).containsExactly("s");
    }

    @Test
    void groupByNodes() {
        List<Series> out = f.eval("groupByNodes(group(s.*, t.*), 'maxSeries', 1, 0)");
        assertThat(out).extracting(Series::name).containsExactly("a.s", "b.s", "c.s", "a.t", "b.t");
    }

    @Test
    void groupByTags() {
        Fixture g = new Fixture()
                .add("cpu;dc=1;h=a", 110, 10, 1, 1)
                .add("cpu;dc=1;h=b", 110, 10, 2, 2)
                .add("cpu;dc=2;h=c", 110, 10, 5, 5);
        List<Series> out = g.eval("groupByTags(group(cpu;dc=1;h=a, cpu;dc=1;h=b, cpu;dc=2;h=c), 'sum', 'dc')");
        assertThat(out).extracting(Series::name).containsExactly("cpu;dc=1", "cpu;dc=2");
        assertThat(out.get(0).values()).startsWith(3, 3);
        assertThat(out.get(0).tags()).containsEntry("dc", "1").containsEntry("name", "cpu");
        assertThatThrownBy(() -> g.eval("groupByTags(cpu;dc=1;h=a, 'sum')")).hasMessageContaining("tags");
    }

    @Test
    void mapSeries() {
        assertThat(f.eval("map(group(s.*, t.*), 0)")).extracting(Series::name)
                .containsExactly("s.a", "s.b", "s.c", "t.a", "t.b");
    }

    @Test
    void reduceSeries() {
        Fixture g = new Fixture()
                .add("m.h1.num", 110, 10, 1, 2)
                .add("m.h1.den", 110, 10, 4, 4)
                .add("m.h2.num", 110, 10, 3, 3)
                .add("m.h2.den", 110, 10, 6, 6);
        List<Series> out = g.eval("reduceSeries(mapSeries(m.*.*, 1), 'divideSeries', 2, 'num', 'den')");
        assertThat(out).extracting(Series::name).containsExactly("m.h1.reduce.divideSeries",
                "m.h2.reduce.divideSeries");
        assertThat(out.get(0).values()).startsWith(0.25, 0.5);
    }

    @Test
    void weightedAverage() {
        Fixture g = new Fixture()
                .add("w.h1.avg", 110, 10, 10, 10)
                .add("w.h1.cnt", 110, 10, 1, 3)
                .add("w.h2.avg", 110, 10, 20, 20)
                .add("w.h2.cnt", 110, 10, 3, 1);
        Series s = g.one("weightedAverage(w.*.avg, w.*.cnt, 1)");
        assertThat(s.name()).isEqualTo("weightedAverage(w.*.avg, w.*.cnt, 1)");
        assertThat(s.values()).startsWith(17.5, 12.5);
    }

    @Test
    void percentileOfSeries() {
        Series s = f.one("percentileOfSeries(s.*, 50)");
        assertThat(s.name()).isEqualTo("percentileOfSeries(s.*,50)");
        assertThat(v(s)).containsExactly(2, 3, 3, 4, 5, 6);
        assertThat(v(f.one("percentileOfSeries(s.*, 75, true)"))[0]).isCloseTo(3, within(1e-12));
        assertThatThrownBy(() -> f.eval("percentileOfSeries(s.*, 0)")).hasMessageContaining("greater than 0");
    }

    @Test
    void powSeries() {
        Series s = f.one("powSeries(s.c, s.a)");
        assertThat(s.name()).isEqualTo("powSeries(s.c,s.a)");
        assertThat(v(s)).containsExactly(3, 9, N, 81, 243, 729);
    }

    @Test
    void applyByNode() {
        List<Series> out = f.eval("applyByNode(group(s.a, t.a), 0, 'sumSeries(%.*)', '%.total')");
        assertThat(out).extracting(Series::name).containsExactly("s.total", "t.total");
        assertThat(v(out.get(1))).containsExactly(6, 6, 6, 6, 6, 6);
        assertThat(out.get(0).pathExpression()).isEqualTo("s");
    }
}
