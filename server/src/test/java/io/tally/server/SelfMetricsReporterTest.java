package io.tally.server;

import io.tally.engine.util.ManualClock;
import io.tally.engine.util.MetricsRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SelfMetricsReporterTest {

    @Test
    void writesEveryCounterAndGaugeUnderThePrefixAtTheClockTime() {
        ManualClock clock = new ManualClock(1_700_000_000);
        MetricsRegistry metrics = new MetricsRegistry();
        metrics.counter("ingest.tcp.points").add(42);
        metrics.gauge("storage.backlog_bytes", () -> 7.5);
        FakeEngine engine = new FakeEngine();
        SelfMetricsReporter r = new SelfMetricsReporter("tally.agents.box", metrics, engine, clock);

        clock.advanceSeconds(90);
        int written = r.tick();

        assertThat(written).isEqualTo(4);
        assertThat(engine.points).extracting(FakeEngine.Point::name).containsExactly(
                "tally.agents.box.ingest.tcp.points", "tally.agents.box.jvm.heap_used_bytes",
                "tally.agents.box.storage.backlog_bytes", "tally.agents.box.uptime_seconds");
        assertThat(engine.points).allSatisfy(p -> assertThat(p.timestamp()).isEqualTo(1_700_000_090L));
        assertThat(engine.points.get(0).value()).isEqualTo(42);
        assertThat(engine.points.get(1).value()).isPositive();
        assertThat(engine.points.get(2).value()).isEqualTo(7.5);
        assertThat(engine.points.get(3).value()).isEqualTo(90);
    }

    @Test
    void countersAreCumulativeAcrossTicks() {
        ManualClock clock = new ManualClock(1000);
        MetricsRegistry metrics = new MetricsRegistry();
        FakeEngine engine = new FakeEngine();
        SelfMetricsReporter r = new SelfMetricsReporter("p.", metrics, engine, clock);
        metrics.counter("c").add(1);
        r.tick();
        clock.advanceSeconds(60);
        metrics.counter("c").add(2);
        r.tick();
        assertThat(engine.points).filteredOn(p -> p.name().equals("p.c"))
                .extracting(FakeEngine.Point::timestamp, FakeEngine.Point::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1000L, 1.0),
                        org.assertj.core.groups.Tuple.tuple(1060L, 3.0));
    }

    @Test
    void spillsIntoNewBatchesWhenOneIsFull() {
        MetricsRegistry metrics = new MetricsRegistry();
        for (int i = 0; i < 50; i++) {
            metrics.counter("counter.number." + i).increment();
        }
        FakeEngine engine = new FakeEngine(new java.util.ArrayList<>(), 256);
        int written = new SelfMetricsReporter("tally", metrics, engine, new ManualClock(5)).tick();
        assertThat(written).isEqualTo(52);
        assertThat(engine.points).hasSize(52);
        assertThat(engine.batches).isGreaterThan(5);
    }

    @Test
    void skipsNaNGauges() {
        MetricsRegistry metrics = new MetricsRegistry();
        metrics.gauge("unknown", () -> Double.NaN);
        FakeEngine engine = new FakeEngine();
        new SelfMetricsReporter("t", metrics, engine, new ManualClock(5)).tick();
        assertThat(engine.points).extracting(FakeEngine.Point::name).doesNotContain("t.unknown");
    }
}
