package io.tally.query.functions;

import io.tally.query.expr.ConsolidationFunction;
import io.tally.query.expr.Fixture;
import io.tally.query.expr.Series;
import org.junit.jupiter.api.Test;

import static io.tally.query.expr.Fixture.N;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One test per Special function. */
class SpecialFunctionsTest {
    private final Fixture f = new Fixture()
            .add("sp.a", 110, 10, 1, 1, N, 2, 2, 5)
            .add("disk.used;dc=eu;mount=root", 110, 10, 7)
            .add("disk.used;dc=us;mount=data", 110, 10, 8)
            .add("cpu;dc=eu", 110, 10, 9);

    @Test
    void consolidateBy() {
        Series s = f.one("consolidateBy(sp.a, 'max')");
        assertThat(s.name()).isEqualTo("consolidateBy(sp.a,\"max\")");
        assertThat(s.consolidation()).isEqualTo(ConsolidationFunction.MAX);
        assertThat(s.tags()).containsEntry("consolidateBy", "max");
        assertThatThrownBy(() -> f.eval("consolidateBy(sp.a, 'median')")).hasMessageContaining("invalid");
    }

    @Test
    void cumulative() {
        assertThat(f.one("cumulative(sp.a)").consolidation()).isEqualTo(ConsolidationFunction.SUM);
    }

    @Test
    void setXFilesFactor() {
        Series s = f.one("xFilesFactor(sp.a, 0.5)");
        assertThat(s.name()).isEqualTo("sp.a");
        assertThat(s.xFilesFactor()).isEqualTo(0.5);
        assertThat(s.tags()).containsEntry("xFilesFactor", "0.5");
    }

    @Test
    void constantLine() {
        Series s = f.one("constantLine(7)");
        assertThat(s.name()).isEqualTo("7.0");
        assertThat(s.start()).isEqualTo(100);
        assertThat(s.step()).isEqualTo(30);
        assertThat(s.values()).containsExactly(7, 7, 7);
        assertThat(s.outputCount()).isEqualTo(3);
    }

    @Test
    void substr() {
        assertThat(f.one("substr(scale(sp.a, 2), 1)").name()).isEqualTo("a");
        assertThat(f.one("substr(sp.a, 0, 1)").name()).isEqualTo("sp");
    }

    @Test
    void fallbackSeries() {
        assertThat(f.one("fallbackSeries(nothing.*, constantLine(0))").name()).isEqualTo("0.0");
        assertThat(f.one("fallbackSeries(sp.a, constantLine(0))").name()).isEqualTo("sp.a");
    }

    @Test
    void changed() {
        assertThat(f.one("changed(sp.a)").values()).containsExactly(0, 0, 0, 1, 0, 1);
    }

    @Test
    void randomWalkFunction() {
        Series s = f.one("randomWalk('walk', 20)");
        assertThat(s.name()).isEqualTo("walk");
        assertThat(s.values()).hasSize(3);
        assertThat(s.values()[0]).isZero();
        assertThat(Math.abs(s.values()[1])).isLessThanOrEqualTo(0.5);
    }

    @Test
    void seriesByTag() {
        assertThat(f.eval("seriesByTag('name=disk.used')")).extracting(Series::name).containsExactly(
                "disk.used;dc=eu;mount=root", "disk.used;dc=us;mount=data");
        Series sum = f.one("sumSeries(seriesByTag('name=disk.used', 'dc!=us'))");
        assertThat(sum.name()).isEqualTo("sumSeries(seriesByTag('name=disk.used', 'dc!=us'))");
        assertThat(f.one("seriesByTag('dc=eu', 'name=cpu')").tags()).containsEntry("dc", "eu");
        assertThatThrownBy(() -> f.eval("seriesByTag('nonsense')")).hasMessageContaining("bad tag expression");
        assertThatThrownBy(() -> f.eval("seriesByTag(1)")).hasMessageContaining("quoted strings");
    }
}
