package io.tally.server;

import io.tally.engine.api.IngestSink;
import io.tally.engine.api.PointBatch;
import io.tally.engine.util.Clock;
import io.tally.engine.util.MetricsRegistry;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes Tally's own metrics into Tally, like carbon's {@code carbon.agents.<host>}: each {@link #tick} snapshots
 * the {@link MetricsRegistry} (cumulative counters and gauges), adds {@code jvm.heap_used_bytes} and
 * {@code uptime_seconds}, and hands {@code <prefix>.<name> value now} points to the {@link IngestSink}. The server
 * calls {@code tick} on a timer; tests call it directly with a manual clock. Not thread-safe: one caller at a time.
 */
public final class SelfMetricsReporter {
    private final String prefix;
    private final MetricsRegistry registry;
    private final IngestSink sink;
    private final Clock clock;
    private final long startedMillis;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    public SelfMetricsReporter(String prefix, MetricsRegistry registry, IngestSink sink, Clock clock) {
        this.prefix = prefix.endsWith(".") ? prefix : prefix + ".";
        this.registry = registry;
        this.sink = sink;
        this.clock = clock;
        this.startedMillis = clock.currentTimeMillis();
    }

    /** Writes one sample of every metric; returns the number of points handed to the sink. */
    public int tick() {
        long now = clock.nowSeconds();
        Map<String, Double> sample = new TreeMap<>(registry.snapshot());
        sample.put("jvm.heap_used_bytes", (double) memory.getHeapMemoryUsage().getUsed());
        sample.put("uptime_seconds", (clock.currentTimeMillis() - startedMillis) / 1000.0);
        PointBatch batch = sink.newBatch();
        int written = 0;
        for (Map.Entry<String, Double> e : sample.entrySet()) {
            double v = e.getValue();
            if (Double.isNaN(v)) {
                continue;
            }
            String name = prefix + e.getKey();
            if (!batch.add(name, now, v)) {
                sink.offer(batch);
                batch = sink.newBatch();
                if (!batch.add(name, now, v)) {
                    continue; // a name longer than a whole batch cannot be written
                }
            }
            written++;
        }
        if (!batch.isEmpty()) {
            sink.offer(batch);
        }
        return written;
    }
}
