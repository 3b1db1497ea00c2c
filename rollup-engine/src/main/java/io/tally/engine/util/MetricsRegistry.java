package io.tally.engine.util;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * Tally's own metrics: named counters (striped, so hot paths pay one uncontended add) and gauges (read on report).
 * Names are dot-separated suffixes such as {@code ingest.plaintext_tcp.points}; the reporter prefixes them with
 * the configured self-metrics prefix and writes them into Tally itself, as carbon does with
 * {@code carbon.agents.<host>}. Look counters up once and keep the reference on hot paths.
 */
public final class MetricsRegistry {
    private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LatencyTimer> timers = new ConcurrentHashMap<>();

    public LongAdder counter(String name) {
        return counters.computeIfAbsent(name, k -> new LongAdder());
    }

    public void gauge(String name, DoubleSupplier supplier) {
        gauges.put(name, supplier);
    }

    /** The latency timer of that name (see {@link LatencyTimer} for what snapshots report). */
    public LatencyTimer timer(String name) {
        return timers.computeIfAbsent(name, k -> new LatencyTimer());
    }

    public long count(String name) {
        LongAdder a = counters.get(name);
        return a == null ? 0 : a.sum();
    }

    /**
     * A consistent-enough snapshot of every counter (cumulative), gauge and timer (the interval since the previous
     * snapshot: {@code .p50 .p99 .max} in ms, {@code .count}), sorted by name.
     */
    public Map<String, Double> snapshot() {
        Map<String, Double> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, (double) v.sum()));
        gauges.forEach((k, v) -> out.put(k, v.getAsDouble()));
        timers.forEach((k, v) -> v.drainInto(k, out));
        return out;
    }
}
