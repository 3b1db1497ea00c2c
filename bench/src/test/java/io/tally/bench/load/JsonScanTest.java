package io.tally.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class JsonScanTest {

    private static final String GRAPHITE = """
            [{"target": "a.b", "tags": {"name": "a.b"}, "datapoints": [[1.5, 100], [null, 110], [2, 120]]},
             {"target":"c.d","datapoints":[ [ null , 100 ] , [ -3e2 , 110 ] ]}]""";

    @Test
    void countsNonNullGraphiteValues() throws IOException {
        assertThat(JsonScan.countNonNull(GRAPHITE)).isEqualTo(3);
    }

    @Test
    void sumsGraphiteValues() throws IOException {
        assertThat(JsonScan.sumValues(GRAPHITE)).isEqualTo(Math.round(1.5 + 2 - 300));
    }

    @Test
    void emptyGraphiteAnswerCountsZero() throws IOException {
        assertThat(JsonScan.countNonNull("[]")).isZero();
        assertThat(JsonScan.sumValues("[{\"target\":\"x\",\"datapoints\":[]}]")).isZero();
    }

    @Test
    void rejectsTruncatedGraphiteAnswer() {
        assertThatThrownBy(() -> JsonScan.countNonNull("[{\"target\":\"x\",\"datapoints\":[[1, 100]"))
                .isInstanceOf(IOException.class);
    }

    @Test
    void readsPrometheusVectorValue() throws IOException {
        String json = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
                + "[{\"metric\":{},\"value\":[1795331116,\"10000000\"]}]}}";
        assertThat(JsonScan.prometheusValue(json)).isEqualTo(10_000_000);
    }

    @Test
    void emptyPrometheusResultIsZero() throws IOException {
        assertThat(JsonScan.prometheusValue("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"))
                .isZero();
    }

    @Test
    void prometheusErrorFails() {
        assertThatThrownBy(() -> JsonScan.prometheusValue("{\"status\":\"error\",\"error\":\"bad query\"}"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bad query");
    }
}
