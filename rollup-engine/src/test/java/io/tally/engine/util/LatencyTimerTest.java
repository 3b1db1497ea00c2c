package io.tally.engine.util;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyTimerTest {

    @Test
    void snapshotReportsTheIntervalInMillisecondsAndStartsANewOne() {
        MetricsRegistry m = new MetricsRegistry();
        LatencyTimer t = m.timer("http.render.latency_ms");
        assertThat(m.timer("http.render.latency_ms")).isSameAs(t);
        for (int i = 1; i <= 100; i++) {
            t.recordNanos(i * 1_000_000L); // 1..100 ms
        }
        Map<String, Double> first = m.snapshot();
        assertThat(first.get("http.render.latency_ms.count")).isEqualTo(100);
        assertThat(first.get("http.render.latency_ms.p50")).isCloseTo(50, within(0.1));
        assertThat(first.get("http.render.latency_ms.p99")).isCloseTo(99, within(0.1));
        assertThat(first.get("http.render.latency_ms.max")).isCloseTo(100, within(0.1));

        t.recordNanos(7_000_000L);
        Map<String, Double> second = m.snapshot();
        assertThat(second.get("http.render.latency_ms.count")).isEqualTo(1);
        assertThat(second.get("http.render.latency_ms.max")).isCloseTo(7, within(0.01));

        Map<String, Double> idle = m.snapshot();
        assertThat(idle.get("http.render.latency_ms.count")).isZero();
        assertThat(idle.get("http.render.latency_ms.p99")).isZero();
    }
}
