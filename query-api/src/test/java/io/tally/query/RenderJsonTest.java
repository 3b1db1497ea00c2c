package io.tally.query;

import io.tally.query.expr.Series;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RenderJsonTest {
    private static final double N = Double.NaN;

    private static Series pts(String name, long start, long step, double... v) {
        return Series.builder(name, start, start + step * v.length, step, v).build();
    }

    @Test
    void writesGraphiteShapeExactly() {
        String json = RenderJson.write(List.of(pts("a.b", 100, 10, 1.5, N, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, 2)), false, false, null).toString();
        assertThat(json).isEqualTo("[{\"target\": \"a.b\", \"tags\": {\"name\": \"a.b\"}, \"datapoints\": "
                + "[[1.5, 100], [null, 110], [1e9999, 120], [-1e9999, 130], [2.0, 140]]}]");
    }

    @Test
    void emptyResultIsAnEmptyList() {
        assertThat(RenderJson.write(List.of(), false, false, null).toString()).isEqualTo("[]");
    }

    @Test
    void noNullPointsDropsNullsAndEmptySeries() {
        String json = RenderJson.write(List.of(pts("a", 100, 10, N, 1, N), pts("b", 100, 10, N, N)), true, false,
                null).toString();
        assertThat(json).isEqualTo("[{\"target\": \"a\", \"tags\": {\"name\": \"a\"}, \"datapoints\": [[1.0, 110]]}]");
    }

    @Test
    void taggedNamesBecomeTagObjects() {
        String json = RenderJson.write(List.of(pts("disk.used;rack=a1;dc=dc1", 100, 10, 1)), false, false, null)
                .toString();
        assertThat(json).isEqualTo("[{\"target\": \"disk.used;rack=a1;dc=dc1\", \"tags\": "
                + "{\"dc\": \"dc1\", \"name\": \"disk.used\", \"rack\": \"a1\"}, \"datapoints\": [[1.0, 100]]}]");
    }

    @Test
    void jsonpWrapsTheAnswer() {
        assertThat(RenderJson.write(List.of(), false, false, "cb").toString()).isEqualTo("cb([])");
    }
}
