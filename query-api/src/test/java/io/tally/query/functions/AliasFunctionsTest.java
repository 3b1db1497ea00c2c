package io.tally.query.functions;

import io.tally.query.expr.Fixture;
import io.tally.query.expr.Series;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tally.query.expr.Fixture.N;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One test per Alias function (and cactiStyle, which renames too). */
class AliasFunctionsTest {
    private final Fixture f = new Fixture()
            .add("servers.web01.cpu", 110, 10, 1, 2.5)
            .add("servers.web02.cpu", 110, 10, 3000, N)
            .add("freq.01", 110, 10, 2412, 2412)
            .add("cpu.load;dc=eu;host=h1", 110, 10, 1, 1)
            .window(100, 120);

    private List<String> names(String target) {
        return f.eval(target).stream().map(Series::name).toList();
    }

    @Test
    void alias() {
        Series s = f.eval("alias(servers.*.cpu, 'total cpu')").get(0);
        assertThat(s.name()).isEqualTo("total cpu");
        assertThat(s.pathExpression()).isEqualTo("servers.*.cpu");
        assertThat(s.tags()).containsEntry("name", "servers.web01.cpu");
    }

    @Test
    void aliasByNode() {
        assertThat(names("aliasByNode(servers.*.cpu, 1)")).containsExactly("web01", "web02");
        assertThat(names("aliasByNode(scale(servers.*.cpu, 2), 1, -1)")).containsExactly("web01.cpu", "web02.cpu");
        assertThat(names("aliasByNode(cpu.load;dc=eu;host=h1, 'host', 1)")).containsExactly("h1.load");
    }

    @Test
    void aliasByTags() {
        assertThat(names("aliasByTags(cpu.load;dc=eu;host=h1, 'dc', 'name')")).containsExactly("eu.cpu.load");
    }

    @Test
    void aliasByMetric() {
        assertThat(names("aliasByMetric(movingAverage(servers.web01.cpu, 1))")).containsExactly("cpu");
    }

    @Test
    void aliasSub() {
        assertThat(names("aliasSub(servers.*.cpu, '^servers\\.([^.]+)\\.(.*)$', '\\2 on \\1')"))
                .containsExactly("cpu on web01", "cpu on web02");
        assertThat(names("aliasSub(servers.web01.cpu, \"(^.*$)\", \"\\1 A\")")).containsExactly(
                "servers.web01.cpu A");
        assertThatThrownBy(() -> f.eval("aliasSub(servers.*.cpu, '(', 'x')")).hasMessageContaining("col 25");
    }

    @Test
    void aliasQuery() {
        assertThat(names("aliasQuery(servers.web01.cpu, 'servers\\.web(\\d+)\\.cpu', 'freq.\\1', 'Channel %d MHz')"))
                .containsExactly("Channel 2412 MHz");
        assertThatThrownBy(() -> f.eval("aliasQuery(servers.web01.cpu, 'cpu', 'nothing', '%d')"))
                .hasMessageContaining("No series found with query: servers.web01.nothing");
    }

    @Test
    void legendValue() {
        assertThat(names("legendValue(servers.web01.cpu, 'avg', 'count', 'nope')")).containsExactly(
                "servers.web01.cpu (avg: 1.75) (count: 2) (nope: (?))");
        assertThat(names("legendValue(servers.web02.cpu, 'last', 'si')")).containsExactly(
                "servers.web02.cpu   last 3.00K     ");
    }

    @Test
    void cactiStyle() {
        assertThat(names("cactiStyle(servers.*.cpu)")).containsExactly(
                "servers.web01.cpu Current:2.50       Max:2.50       Min:1.00       ",
                "servers.web02.cpu Current:3000.00    Max:3000.00    Min:3000.00    ");
        assertThat(names("cactiStyle(servers.web02.cpu, 'si', 'b')")).containsExactly(
                "servers.web02.cpu Current:3.00 Kb    Max:3.00 Kb    Min:3.00 Kb    ");
    }
}
