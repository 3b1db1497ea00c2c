package io.tally.query.expr;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NodesTest {

    private static Series named(String name) {
        return Series.builder(name, 0, 10, 10, new double[1]).build();
    }

    @Test
    void nodesCountFromBothEnds() {
        assertThat(Nodes.key(named("a.b.c.d"), List.of(1L, -1L))).isEqualTo("b.d");
    }

    @Test
    void functionWrappedNamesUseTheirFirstPath() {
        assertThat(Nodes.key(named("scale(sumSeries(a.b.c,x.y),2)"), List.of(2L))).isEqualTo("c");
        assertThat(Nodes.firstPathExpression("movingAverage(a.b,\"5min\")")).isEqualTo("a.b");
    }

    @Test
    void tagsAndOutOfRangeNodesAreTagLookups() {
        Series s = named("cpu.load;dc=eu;host=h1");
        assertThat(Nodes.key(s, List.of("dc", 0L, "name", 7L, "missing"))).isEqualTo("eu.cpu.cpu.load..");
    }

    @Test
    void tagsOfNames() {
        assertThat(Tags.parse("a.b")).containsExactly(java.util.Map.entry("name", "a.b"));
        assertThat(Tags.parse("disk;z=1;a=2")).containsExactly(java.util.Map.entry("a", "2"),
                java.util.Map.entry("name", "disk"), java.util.Map.entry("z", "1"));
        assertThat(Tags.parse("sumSeries(a;b=c)")).containsOnlyKeys("name");
        assertThat(Tags.parse("a;broken")).containsExactly(java.util.Map.entry("name", "a;broken"));
    }

    @Test
    void intervals() {
        assertThat(Interval.seconds("5min")).isEqualTo(300);
        assertThat(Interval.seconds("-1h30min")).isEqualTo(-5400);
        assertThat(Interval.seconds("+2d")).isEqualTo(172_800);
        assertThat(Interval.seconds("5m")).isEqualTo(300);
        assertThat(Interval.seconds("1mon")).isEqualTo(30 * 86_400);
        assertThat(Interval.unitName("weeks4")).isEqualTo("weeks");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Interval.seconds("abc"))
                .hasMessageContaining("invalid interval 'abc'");
    }
}
